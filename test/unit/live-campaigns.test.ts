import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignCatalog } from '../../functions/ports/campaign-catalog.js';
import { campaignIn } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { liveCampaigns } from '../../functions/wiring/live-campaigns.js';
import { memoryCampaignCatalog } from '../support/memory/campaign-catalog.js';

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');

/** A catalog that counts its reads. */
function counted(catalog: CampaignCatalog) {
  const reads = { count: 0 };
  return {
    reads,
    catalog: {
      ...catalog,
      current: () => {
        reads.count += 1;
        return catalog.current();
      },
    } as CampaignCatalog,
  };
}

describe('the rounds each container reads through its cache', () => {
  it('reads the catalog once per TTL, and again after a write in the container', async () => {
    let clock = 0;
    const { catalog, reads } = counted(memoryCampaignCatalog([cast]));
    const live = liveCampaigns(catalog, { ttlMs: 60_000, now: () => clock });
    await live.fresh(async () => expect(live.get('cast-2024')?.name.zh).toBe(cast.name.zh));
    clock = 59_000;
    await live.fresh(async () => live.size);
    expect(reads.count).toBe(1);
    clock = 60_000;
    await live.fresh(async () => live.size);
    expect(reads.count).toBe(2);
    live.invalidate();
    await live.fresh(async () => live.size);
    expect(reads.count).toBe(3);
    expect([...live.keys()]).toEqual(['cast-2024']);
  });

  it("knows each round's stored version, which a submission records", async () => {
    const store = memoryCampaignCatalog([cast]);
    let clock = 0;
    const live = liveCampaigns(store, { ttlMs: 60_000, now: () => clock });
    await live.fresh(async () => live.size);
    expect([live.versionOf('cast-2024'), live.versionOf('cacs-2024')]).toEqual([1, undefined]);
    const [first] = await store.versions('cast-2024');
    if (!first) throw new Error('cast-2024 not seeded');
    await store.save({ ...first, version: 2, note: 'Deadline extended', changed: ['deadline'] });
    clock = 60_000;
    await live.fresh(async () => live.size);
    expect(live.versionOf('cast-2024')).toBe(2);
  });

  it('runs an invocation again once when it looked up a round created elsewhere since the last read', async () => {
    let clock = 0;
    const store = memoryCampaignCatalog([cast]);
    const live = liveCampaigns(store, { ttlMs: 60_000, now: () => clock });
    await live.fresh(async () => live.size);
    clock = 1_000;
    // Another container creates the society's round.
    await store.save({ campaign: cacs, version: 1, savedAt: '', savedBy: cacsBy, note: '', changed: [] });
    let runs = 0;
    const name = await live.fresh(async () => {
      runs += 1;
      return campaignIn(live, 'cacs-2024').name.zh;
    });
    expect(name).toBe(cacs.name.zh);
    expect(runs).toBe(2);
  });

  it('answers a round nobody created with the use case’s own error, after one read only', async () => {
    let clock = 0;
    const { catalog, reads } = counted(memoryCampaignCatalog([cast]));
    const live = liveCampaigns(catalog, { ttlMs: 60_000, now: () => clock });
    await live.fresh(async () => live.size);
    clock = 1_000;
    await expect(live.fresh(async () => campaignIn(live, 'nope-2024'))).rejects.toThrow(
      /No campaign "nope-2024"/,
    );
    expect(reads.count).toBe(2);
    // Straight after a read, a miss costs no further read.
    await expect(live.fresh(async () => campaignIn(live, 'nope-2024'))).rejects.toThrow(/nope-2024/);
    expect(reads.count).toBe(2);
  });
});

const cacsBy = { role: 'ops' as const, subjectId: 'ops', name: 'ops' };

describe('every function that reads the rounds', () => {
  it('reads them fresh: its gate is the wiring’s (or carries its `fresh`), or its task runs in `campaigns.fresh`', () => {
    const dir = join(import.meta.dirname, '../../functions/handlers');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const wired = files.filter((f) => readFileSync(join(dir, f), 'utf8').includes('wiring('));
    expect(wired.length).toBeGreaterThan(10);
    const stale = wired.filter((f) => {
      const source = readFileSync(join(dir, f), 'utf8');
      return !/deps\.gate,|deps\.campaigns\.fresh\(/.test(source);
    });
    expect(stale).toEqual([]);
  });
});
