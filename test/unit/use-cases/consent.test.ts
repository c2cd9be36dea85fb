import { describe, expect, it } from 'vitest';
import { attachmentSetIssues } from '../../../functions/rules/attachments.js';
import { definitionIssues, loadCampaigns } from '../../../functions/rules/campaign.js';
import cacs2024 from '../../../functions/rules/campaigns/cacs-2024.json' with { type: 'json' };
import cast2024 from '../../../functions/rules/campaigns/cast-2024.json' with { type: 'json' };
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { STANDARD_NOTICE } from '../../../functions/rules/consent.js';
import { attachmentsForExpert } from '../../../functions/rules/personal-information.js';
import { correctionIssues } from '../../../functions/rules/round-correction.js';
import { createDraft, getNomination, submit } from '../../../functions/use-cases/nominations.js';
import { campaignOverview } from '../../../functions/use-cases/overview.js';
import { memoryWorld } from '../../support/memory/index.js';
import {
  completeDraft,
  consentIn,
  declaredIn,
  inviteUnit,
  MINUTE_MS,
  secretariatOf,
  stored,
  upload,
} from '../../support/memory/people.js';

/**
 * Notice and consent (PIPL arts. 13–17; functions/rules/consent.ts): the unit confirms at each
 * (re)submission that the nominee was informed under the campaign's current notice and consented;
 * the record (who, when, which version) is kept on the nomination and shown to the secretariat;
 * a round may require the nominee's signed consent as a scanned attachment.
 */

const NEW_NOTICE = {
  version: 2,
  text: { zh: '第二版告知书：新增向上级推荐的说明。', en: 'Notice, version 2: forwarding explained.' },
};

/** The CAST round with the second notice and, if asked, the signed consent scan required. */
const castWith = (consentScan: boolean) =>
  loadCampaigns([{ ...cast2024, privacy: { notice: NEW_NOTICE, consentScan } }]);

describe('notice and consent at submission', () => {
  it('gives every round the standard notice unless it states its own, and shows it to the unit', async () => {
    expect(BUILTIN_CAMPAIGNS.get('cast-2024')?.privacy).toEqual({
      notice: STANDARD_NOTICE,
      consentScan: false,
      retentionDays: 365,
    });
    const world = memoryWorld({ campaigns: castWith(false) });
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const overview = await campaignOverview(world.deps, unit, 'cast-2024');
    expect(overview.privacy).toEqual({
      notice: NEW_NOTICE,
      consentScan: false,
      retentionDays: 365,
      erasureDueAt: null,
    });
  });

  it.each([
    ['no confirmation', {}, 'CONSENT_MISSING', ['consent', 'informed']],
    [
      'a confirmation not given',
      { consent: { informed: false, noticeVersion: 2 } },
      'CONSENT_MISSING',
      ['consent', 'informed'],
    ],
    [
      'a confirmation under an earlier notice',
      { consent: { informed: true, noticeVersion: 1 } },
      'CONSENT_NOTICE_STALE',
      ['consent', 'noticeVersion'],
    ],
  ])('refuses a submission with %s (422, naming the field), writing nothing', async (_, body, code, path) => {
    const world = memoryWorld({ campaigns: castWith(false) });
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await completeDraft(world, unit, 'volunteer');
    const refusal = await submit(world.deps, unit, draft.id, { version: draft.version, ...body }).catch(
      (e) => e,
    );
    expect(refusal).toMatchObject({ code, kind: 'rule', path });
    expect(refusal.messages.zh).toMatch(/告知/);
    expect(refusal.messages.en).toMatch(/notice/);
    const after = await stored(world, draft.id);
    expect(after).toMatchObject({ status: 'draft', version: draft.version });
    expect(after.consent).toBeUndefined();
    const overview = await campaignOverview(world.deps, unit, 'cast-2024');
    expect(overview.categories.find((c) => c.id === 'volunteer')?.quota?.used).toBe(0);
  });

  it('keeps who confirmed, when and under which version, and shows it to the secretariat', async () => {
    const world = memoryWorld({ campaigns: castWith(false) });
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await completeDraft(world, unit, 'volunteer');
    world.clock.advance(MINUTE_MS);
    const at = world.clock.now().toISOString();
    const sent = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: consentIn(world, unit),
      declarations: declaredIn(world, unit),
    });
    const record = {
      noticeVersion: 2,
      confirmedAt: at,
      by: { role: 'unit', subjectId: unit.subjectId, name: unit.name },
    };
    expect(sent.consent).toEqual(record);
    expect((await getNomination(world.deps, secretariatOf('cast-2024'), draft.id)).consent).toEqual(record);
  });
});

describe('the signed consent scan', () => {
  it('is required as one PDF attachment where the round asks for it, and never otherwise', async () => {
    const requiring = castWith(true).get('cast-2024');
    const plain = BUILTIN_CAMPAIGNS.get('cast-2024');
    if (!requiring || !plain) throw new Error('campaigns missing');
    expect(
      attachmentSetIssues(plain, 'site', [
        { kind: 'word' },
        { kind: 'scan' },
        { kind: 'photo' },
        { kind: 'photo' },
      ]),
    ).toEqual([]);
    expect(
      attachmentSetIssues(requiring, 'site', [
        { kind: 'word' },
        { kind: 'scan' },
        { kind: 'photo' },
        { kind: 'photo' },
      ]),
    ).toEqual([expect.objectContaining({ path: ['attachments', 'consent'], code: 'too_few' })]);
    expect(
      attachmentSetIssues(plain, 'site', [
        { kind: 'word' },
        { kind: 'scan' },
        { kind: 'photo' },
        { kind: 'photo' },
        { kind: 'consent' },
      ]),
    ).toEqual([expect.objectContaining({ path: ['attachments', 'consent'], code: 'too_many' })]);
  });

  it('goes through the pinned upload, lets the nomination be submitted, and is never given to an expert', async () => {
    const world = memoryWorld({ campaigns: castWith(true) });
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await completeDraft(world, unit, 'site');
    const consentFile = draft.attachments.find((a) => a.kind === 'consent');
    expect(consentFile).toMatchObject({
      mime: 'application/pdf',
      key: expect.stringMatching(/^nominations\/.+\/consent\//),
    });
    expect(consentFile?.versionId).toBeTruthy();
    const sent = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: consentIn(world, unit),
      declarations: declaredIn(world, unit),
    });
    expect(sent.status).toBe('submitted');
    expect(attachmentsForExpert(sent.attachments).map((a) => a.kind)).toEqual(['photo', 'photo']);
  });

  it('refuses a consent scan that is not a PDF, naming the kind', async () => {
    const world = memoryWorld({ campaigns: castWith(true) });
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await createDraft(world.deps, unit, { category: 'site' });
    const refusal = await upload(
      world,
      unit,
      draft,
      'consent',
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    ).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'ATTACHMENT_TYPE_MISMATCH', path: ['consent'] });
  });

  it('must be required by a round forwarding into one that requires it', () => {
    const known = castWith(true);
    const { issues } = definitionIssues(cacs2024, known);
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['privacy', 'consentScan'], code: 'parent_requires_consent_scan' }),
    );
    expect(definitionIssues({ ...cacs2024, privacy: { consentScan: true } }, known).issues).toEqual([]);
  });
});

describe("the notice's version in a round correction", () => {
  const cast = (privacy: unknown) => {
    const campaign = loadCampaigns([{ ...cast2024, privacy }]).get('cast-2024');
    if (!campaign) throw new Error('cast-2024 missing');
    return campaign;
  };
  const before = cast({ notice: NEW_NOTICE });

  it('refuses a changed text under the same version, and a lowered version, naming the field', () => {
    const changed = cast({
      notice: { ...NEW_NOTICE, text: { zh: '改过的告知书。', en: 'Changed notice.' } },
    });
    expect(correctionIssues(before, changed, [])).toEqual([
      expect.objectContaining({
        path: ['privacy', 'notice', 'version'],
        code: 'notice_changed_same_version',
      }),
    ]);
    expect(correctionIssues(before, cast({ notice: { ...NEW_NOTICE, version: 1 } }), [])).toEqual([
      expect.objectContaining({ path: ['privacy', 'notice', 'version'], code: 'notice_version_lowered' }),
    ]);
  });

  it('accepts a new text under a raised version, and the same notice unchanged', () => {
    const raised = cast({ notice: { version: 3, text: { zh: '第三版。', en: 'Version 3.' } } });
    expect(correctionIssues(before, raised, [])).toEqual([]);
    expect(correctionIssues(before, cast({ notice: NEW_NOTICE }), [])).toEqual([]);
  });
});
