import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { type Notice, noticeMail } from '../../functions/rules/mail-body.js';
import { UNIT_NOTICES } from '../../functions/rules/notices.js';

const campaign = builtinCampaign('cacs-2024');
const notice = (over: Partial<Notice> = {}): Notice => ({
  campaign,
  to: 'unit@example.cn',
  greeting: '景德镇陶瓷大学',
  subject: UNIT_NOTICES.return.subject,
  nominee: { name: '周丽华', category: { zh: '最美科技志愿者', en: 'Outstanding S&T volunteer' } },
  message: UNIT_NOTICES.return.message({ campaign: campaign.name }),
  details: [{ label: { zh: '理由', en: 'Reasons' }, value: '请见 <b>http://evil.example/x</b> & 补充' }],
  link: { url: 'https://laurel.test/unit/index.html', label: { zh: '查看您的推荐', en: 'Your nominations' } },
  deadline: {
    label: { zh: '修改后重新提交截止时间', en: 'Correct and resubmit by' },
    at: new Date('2025-02-13T16:00:00Z'),
  },
  ...over,
});

describe('noticeMail', () => {
  it('names the campaign, what happened and the nominee in the subject, Chinese then English', () => {
    expect(noticeMail(notice()).subject).toBe(
      '【工艺美术领域2024年度科技志愿服务先进典型推荐】推荐被退回修改：周丽华（最美科技志愿者） · Returned for correction',
    );
  });

  it('writes the text in both languages: greeting, nominee, reasons, deadline in China time, link, the secretariat to call', () => {
    const { text } = noticeMail(notice());
    const [zh, en] = text.split('\n——\n');
    expect(zh?.split('\n')[0]).toBe('景德镇陶瓷大学：');
    expect(zh).toContain('推荐对象：周丽华（最美科技志愿者）');
    // What a person typed is made inert: no mail client turns it into a link.
    expect(zh).toContain('理由：请见 <b>http[:]//evil[.]example/x</b> & 补充');
    expect(zh).toContain('修改后重新提交截止时间：2025-02-13 24:00 (UTC+8)');
    expect(zh).toContain('查看您的推荐：\nhttps://laurel.test/unit/index.html');
    expect(zh).toContain(
      '如有疑问，请联系中国工艺美术学会秘书处：孟曦，电话 010-68396405，邮箱 kjdx2024@126.com。',
    );
    expect(en).toContain('Dear 景德镇陶瓷大学,');
    expect(en).toContain('Correct and resubmit by: 2025-02-13 24:00 (UTC+8)');
    expect(en).toContain('Questions: China Arts & Crafts Society secretariat, 孟曦, phone 010-68396405');
  });

  it('makes only the link Laurel gave an anchor; what a person typed stays escaped text', () => {
    const { html } = noticeMail(notice());
    expect(html).toContain('<a href="https://laurel.test/unit/index.html">');
    expect(html).not.toContain('<a href="http://evil.example');
    expect(html).toContain('请见 &lt;b&gt;http[:]//evil[.]example/x&lt;/b&gt; &amp; 补充');
  });

  it('replies to the secretariat, and leaves out a deadline and a nominee when there are none', () => {
    const mail = noticeMail(notice({ deadline: undefined, nominee: undefined }));
    expect(mail.replyTo).toEqual({ name: '中国工艺美术学会秘书处', address: 'kjdx2024@126.com' });
    expect(mail.text).not.toMatch(/截止时间：|推荐对象|resubmit by:|Nominee/);
    expect(mail.subject).toBe(
      '【工艺美术领域2024年度科技志愿服务先进典型推荐】推荐被退回修改 · Returned for correction',
    );
  });

  it('names no e-mail for a secretariat that gave none, and replies to its name alone', () => {
    const withoutEmail = {
      ...campaign,
      contacts: campaign.contacts.map(({ email: _email, ...contact }) => contact),
    } as Notice['campaign'];
    const mail = noticeMail(notice({ campaign: withoutEmail }));
    const [zh, en] = mail.text.split('\n——\n');
    expect(zh).toContain('如有疑问，请联系中国工艺美术学会秘书处：孟曦，电话 010-68396405。');
    expect(en).toContain('Questions: China Arts & Crafts Society secretariat, 孟曦, phone 010-68396405.');
    expect(mail.text).not.toMatch(/邮箱|e-mail/);
    expect(mail.replyTo).toEqual({ name: '中国工艺美术学会秘书处' });
  });
});

describe('the notice of a forwarded nomination', () => {
  it('names the round it went to, or says the next round when it has no name', () => {
    const parent = { zh: '中国科协2024年度推荐', en: "CAST's 2024 round" };
    expect(UNIT_NOTICES.forward.message({ campaign: campaign.name, parent })).toEqual([
      {
        zh: '您的推荐已择优报送中国科协2024年度推荐，后续结果将另行通知。',
        en: "Your nomination was forwarded to CAST's 2024 round; you will be told of its outcome.",
      },
    ]);
    expect(UNIT_NOTICES.forward.message({ campaign: campaign.name })).toEqual([
      {
        zh: '您的推荐已择优报送上级，后续结果将另行通知。',
        en: 'Your nomination was forwarded to the next round; you will be told of its outcome.',
      },
    ]);
  });
});
