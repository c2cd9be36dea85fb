import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { mailBody, type Notice, noticeMail } from '../../functions/rules/mail-body.js';
import { FORWARDED_RELEASE_NOTICE, UNIT_NOTICES } from '../../functions/rules/notices.js';

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

describe('the wording of every notice', () => {
  const wordings = { ...UNIT_NOTICES, 'forwarded-release': FORWARDED_RELEASE_NOTICE };
  const han = /\p{Script=Han}/u;
  const campaignName = { zh: '某某年度推荐', en: 'the Example round' };
  const parent = { zh: '上级推荐', en: 'the parent round' };

  it('says what happened in both languages, each in its own script, and no two events say the same', () => {
    const said = Object.entries(wordings).map(([kind, wording]) => {
      const paragraphs = wording.message({ campaign: campaignName, parent });
      expect(paragraphs.length, kind).toBeGreaterThan(0);
      for (const { zh, en } of paragraphs) {
        expect(zh, kind).toMatch(han);
        expect(zh.length, kind).toBeGreaterThan(8);
        expect(en, kind).not.toMatch(han);
        expect(en.length, kind).toBeGreaterThan(16);
      }
      return JSON.stringify(paragraphs);
    });
    expect(new Set(said).size).toBe(said.length);
  });

  it('names the campaign where the outcome is the campaign’s', () => {
    for (const kind of ['select', 'not-select', 'release', 'forwarded-release'] as const) {
      const [paragraph] = wordings[kind].message({ campaign: campaignName });
      expect(paragraph?.zh, kind).toContain(campaignName.zh);
      expect(paragraph?.en, kind).toContain(campaignName.en);
    }
  });
});

describe('mailBody', () => {
  it('makes paragraphs of the runs between blank lines, never an empty one, and escapes every special character', () => {
    const { text, html } = mailBody([
      '',
      'one',
      'two',
      '',
      '',
      `it's "x" & <y>`,
      { link: 'https://l.test/?a=1&b=2' },
      '',
    ]);
    expect(html).toBe(
      '<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n' +
        '<p>one<br>\ntwo</p>\n' +
        '<p>it&#39;s &quot;x&quot; &amp; &lt;y&gt;<br>\n<a href="https://l.test/?a=1&amp;b=2">https://l.test/?a=1&amp;b=2</a></p>\n' +
        '</body></html>',
    );
    expect(text).toBe(`\none\ntwo\n\n\nit's "x" & <y>\nhttps://l.test/?a=1&b=2\n`);
  });
});

describe('noticeMail, every part', () => {
  const office = { zh: '甲学会秘书处', en: 'Society A secretariat' };
  const full = (): Notice => ({
    campaign: {
      name: { zh: '某某年度推荐', en: 'the Example round' },
      // The organiser's office is not among the contacts: the first contact answers.
      organizer: { office: { zh: '主办方', en: 'The organiser' } },
      contacts: [{ office, people: ['张三', '李四'], phones: ['010-1', '010-2'], email: 'a@b.cn' }],
    },
    to: 'unit@example.cn',
    greeting: '某单位',
    subject: { zh: '事由', en: 'Subject' },
    nominee: {
      name: '周丽华',
      category: { zh: '最美科技志愿者', en: 'Outstanding volunteer' },
      unitName: '某大学',
    },
    message: [{ zh: '发生了某事。', en: 'Something happened.' }],
    details: [
      { label: { zh: '理由', en: 'Reasons' }, value: '材料不全' },
      { label: { zh: '类别', en: 'Kind' }, value: { zh: '项目', en: 'Project' } },
    ],
    deadline: { label: { zh: '截止', en: 'By' }, at: new Date('2025-02-13T16:00:00Z') },
    link: { url: 'https://laurel.test/unit/', label: { zh: '查看', en: 'Your page' } },
    key: 'notice-key-1',
  });

  it('lays out the Chinese part, then the English, line by line', () => {
    expect(noticeMail(full()).text).toBe(
      [
        '某单位：',
        '',
        '推荐对象：周丽华（最美科技志愿者，某大学推荐）',
        '发生了某事。',
        '理由：材料不全',
        '类别：项目',
        '截止：2025-02-13 24:00 (UTC+8)',
        '',
        '查看：',
        'https://laurel.test/unit/',
        '',
        '如有疑问，请联系甲学会秘书处：张三、李四，电话 010-1 / 010-2，邮箱 a@b.cn。',
        '甲学会秘书处',
        '',
        '——',
        '',
        'Dear 某单位,',
        '',
        'Nominee: 周丽华 (Outstanding volunteer, nominated by 某大学)',
        'Something happened.',
        'Reasons: 材料不全',
        'Kind: Project',
        'By: 2025-02-13 24:00 (UTC+8)',
        '',
        'Your page:',
        'https://laurel.test/unit/',
        '',
        'Questions: Society A secretariat, 张三, 李四, phone 010-1 / 010-2, e-mail a@b.cn.',
        'Society A secretariat',
      ].join('\n'),
    );
  });

  it('replies to the contact that answers and carries the key a retry sends again', () => {
    const mail = noticeMail(full());
    expect(mail.replyTo).toEqual({ name: '甲学会秘书处', address: 'a@b.cn' });
    expect(mail.key).toBe('notice-key-1');
    expect('key' in noticeMail({ ...full(), key: '' })).toBe(false);
  });

  it('signs with the organiser’s office and names no one to call when the campaign lists no contacts', () => {
    const base = full();
    const mail = noticeMail({ ...base, campaign: { ...base.campaign, contacts: [] } });
    expect(mail.replyTo).toEqual({ name: '主办方' });
    expect(mail.text).not.toMatch(/如有疑问|Questions/);
    expect(mail.text.split('\n——\n')[1]?.endsWith('\n\nThe organiser')).toBe(true);
  });
});
