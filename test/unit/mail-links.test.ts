import { describe, expect, it } from 'vitest';
import { inert, mailBody } from '../../functions/rules/mail-body.js';
import { submit } from '../../functions/use-cases/nominations.js';
import { screen } from '../../functions/use-cases/screening.js';
import { volunteer } from '../fixtures/forms.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { memoryWorld } from '../support/memory/index.js';
import {
  completeDraft,
  expertEmail,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  secretariatOf,
  stored,
} from '../support/memory/people.js';

/**
 * Mail never turns what a person typed into a link: mail clients make links of anything shaped
 * like an address (in the text part and in HTML), so every line but Laurel's own links is made
 * inert — schemes and domain dots defanged — and only `{ link }` lines become anchors.
 */

describe('inert text', () => {
  it.each([
    ['http://evil.cn/login', 'http[:]//evil[.]cn/login'],
    ['HTTPS://laurel.example.cn', 'HTTPS[:]//laurel[.]example[.]cn'],
    ['www.evil.cn', 'www[.]evil[.]cn'],
    ['李晓梅 evil.com', '李晓梅 evil[.]com'],
    ['reply to a@b.cn', 'reply to a@b[.]cn'],
    ['xn--fiqs8s.xn--fiqz9s', 'xn--fiqs8s[.]xn--fiqz9s'],
  ])('defangs %s', (typed, shown) => {
    expect(inert(typed)).toBe(shown);
  });

  it.each(['近三年服务 3.5 万小时', 'e.g. this', '版本 1.2.3', 'S&T volunteer', '中国天文学会'])(
    'leaves ordinary text as it is: %s',
    (text) => {
      expect(inert(text)).toBe(text);
    },
  );

  it('leaves Laurel’s own links whole, and only those become anchors', () => {
    const { text, html } = mailBody([
      '候选：http://evil.cn',
      { link: 'https://laurel.example.cn/review/index.html#t' },
    ]);
    expect(text).toBe('候选：http[:]//evil[.]cn\nhttps://laurel.example.cn/review/index.html#t');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('<a href="https://laurel.example.cn/review/index.html#t">');
    expect(html).not.toContain('http://evil');
  });

  it('leaves the campaign’s own contact lines as written (an address reads whole), escaped in HTML', () => {
    const { text, html } = mailBody([{ own: '联系人 王老师  kjdx2024@126.com  <办公室>' }, '单位：a@b.cn']);
    expect(text).toBe('联系人 王老师  kjdx2024@126.com  <办公室>\n单位：a@b[.]cn');
    expect(html).toContain('kjdx2024@126.com  &lt;办公室&gt;');
    expect(html).not.toContain('<a ');
  });
});

describe('an expert’s review mail', () => {
  it('shows a nominee named like a URL as inert text beside the one review link', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(
      world,
      'cast-2024',
      'cas-astro',
      'national-society',
      'www.unit-site.cn 学会',
    );
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const draft = await completeDraft(
      world,
      unit,
      'volunteer',
      volunteer({ name: 'http://evil.cn/x' }) as unknown as Record<string, unknown>,
    );
    world.clock.advance(MINUTE_MS);
    await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    await world.settle();
    const waiting = await stored(world, draft.id);
    await screen(world.deps, secretariatOf('cast-2024'), draft.id, {
      version: waiting.version,
      decision: 'pass',
    });
    await world.settle();
    const mail = world.outbox.to(expertEmail('e1')).at(-1);
    expect(mail?.text).toContain('http[:]//evil[.]cn/x');
    expect(mail?.text).toContain('www[.]unit-site[.]cn');
    const addresses = `${mail?.text}\n${mail?.html}`.match(/(?:https?:\/\/|www\.)[^\s"<）)]+/gi) ?? [];
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/\/review\/index\.html#/);
  });
});
