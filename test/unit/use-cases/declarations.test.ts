import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../functions/rules/campaign.js';
import cast2024 from '../../../functions/rules/campaigns/cast-2024.json' with { type: 'json' };
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { declarationsFor, STANDARD_DECLARATIONS } from '../../../functions/rules/declarations.js';
import { getNomination, submit } from '../../../functions/use-cases/nominations.js';
import { memoryWorld } from '../../support/memory/index.js';
import {
  completeDraft,
  consentIn,
  inviteUnit,
  MINUTE_MS,
  secretariatOf,
  stored,
} from '../../support/memory/people.js';

/**
 * The declarations at submission (functions/rules/declarations.ts): every category declares its
 * materials objective, accurate and complete; an organization and a service site also that they
 * have no bad record. Campaign data, versioned; the nomination keeps who declared which texts, when.
 */

const MATERIALS = STANDARD_DECLARATIONS.items[0]?.text as { zh: string; en: string };
const NO_BAD_RECORD = STANDARD_DECLARATIONS.items[1]?.text as { zh: string; en: string };

async function draftIn(category: 'volunteer' | 'organization' | 'site') {
  const world = memoryWorld();
  const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
  const draft = await completeDraft(world, unit, category);
  world.clock.advance(MINUTE_MS);
  return { world, unit, draft };
}

describe('declarations at submission', () => {
  it('asks every category for accurate materials and organizations and sites for no bad record', () => {
    const cast = BUILTIN_CAMPAIGNS.get('cast-2024');
    if (!cast) throw new Error('cast-2024 missing');
    expect(cast.declarations).toEqual(STANDARD_DECLARATIONS);
    const ids = (category: Parameters<typeof declarationsFor>[1]) =>
      declarationsFor(cast.declarations, category).map((d) => d.id);
    expect(ids('volunteer')).toEqual(['materials-accurate']);
    expect(ids('project')).toEqual(['materials-accurate']);
    expect(ids('organization')).toEqual(['materials-accurate', 'no-bad-record']);
    expect(ids('site')).toEqual(['materials-accurate', 'no-bad-record']);
  });

  it("refuses an organization's submission without its no-bad-record declaration (422, naming it in both languages), writing nothing", async () => {
    const { world, unit, draft } = await draftIn('organization');
    const refusal = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: consentIn(world, unit),
      declarations: { version: 1, confirmed: ['materials-accurate'] },
    }).catch((e) => e);
    expect(refusal).toMatchObject({
      code: 'DECLARATION_NOT_CONFIRMED',
      kind: 'rule',
      path: ['declarations', 'no-bad-record'],
      messages: {
        zh: `请先勾选确认提交承诺：“${NO_BAD_RECORD.zh}”`,
        en: `Tick and confirm the declaration first: "${NO_BAD_RECORD.en}"`,
      },
      details: { declaration: 'no-bad-record' },
    });
    expect(await stored(world, draft.id)).toMatchObject({ status: 'draft', version: draft.version });
    expect((await stored(world, draft.id)).declarations).toBeUndefined();
  });

  it('refuses a submission with no declarations, naming the first one, and one under an earlier version', async () => {
    const { world, unit, draft } = await draftIn('volunteer');
    const none = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: consentIn(world, unit),
    }).catch((e) => e);
    expect(none).toMatchObject({
      code: 'DECLARATION_NOT_CONFIRMED',
      path: ['declarations', 'materials-accurate'],
    });
    expect(none.messages.zh).toContain(MATERIALS.zh);
    const newer = loadCampaigns([{ ...cast2024, declarations: { ...STANDARD_DECLARATIONS, version: 2 } }]);
    const world2 = memoryWorld({ campaigns: newer });
    const unit2 = await inviteUnit(world2, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft2 = await completeDraft(world2, unit2, 'volunteer');
    const stale = await submit(world2.deps, unit2, draft2.id, {
      version: draft2.version,
      consent: consentIn(world2, unit2),
      declarations: { version: 1, confirmed: ['materials-accurate'] },
    }).catch((e) => e);
    expect(stale).toMatchObject({
      code: 'DECLARATIONS_STALE',
      kind: 'rule',
      path: ['declarations', 'version'],
      messages: {
        zh: '提交承诺已更新为第 2 版（所确认的是第 1 版），请阅读新版本后重新确认',
        en: 'The declarations are now version 2 (the confirmation names version 1); read the new version and confirm again',
      },
      details: { current: 2, confirmed: 1 },
    });
  });

  it('keeps who declared, when, which version and which texts, and shows it to the secretariat', async () => {
    const { world, unit, draft } = await draftIn('site');
    const at = world.clock.now().toISOString();
    const sent = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: consentIn(world, unit),
      declarations: { version: 1, confirmed: ['materials-accurate', 'no-bad-record'] },
    });
    const record = {
      version: 1,
      items: [
        { id: 'materials-accurate', text: MATERIALS },
        { id: 'no-bad-record', text: NO_BAD_RECORD },
      ],
      confirmedAt: at,
      by: { role: 'unit', subjectId: unit.subjectId, name: unit.name },
    };
    expect(sent.declarations).toEqual(record);
    expect((await getNomination(world.deps, secretariatOf('cast-2024'), draft.id)).declarations).toEqual(
      record,
    );
  });
});
