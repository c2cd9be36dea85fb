import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignCatalog } from '../../functions/ports/campaign-catalog.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { type OpenCatalog, runCampaignCommand } from '../../scripts/campaign.js';
import { memoryCampaignCatalog } from '../support/memory/campaign-catalog.js';

const folder = mkdtempSync(join(tmpdir(), 'laurel-campaign-command-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const cacs = BUILTIN_CAMPAIGNS.get('cacs-2024');
if (!cacs) throw new Error('cacs-2024 is built in');

/** A national society's own round forwarding to CAST's, as an operator would write it in a file. */
const agronomy = {
  ...cacs,
  id: 'csa-2024',
  name: { zh: '中国农学会2024年度科技志愿服务先进典型推荐', en: 'Chinese Society of Agronomy round 2024' },
  deadline: '2025-02-10T00:00:00+08:00',
};

function fileWith(name: string, definition: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(definition));
  return path;
}

function world(): { catalog: CampaignCatalog; open: OpenCatalog; closed: () => number; lines: string[] } {
  const catalog = memoryCampaignCatalog(BUILTIN_CAMPAIGNS.values());
  let closes = 0;
  return {
    catalog,
    open: () => ({ catalog, close: () => void closes++ }),
    closed: () => closes,
    lines: [],
  };
}

describe('npm run campaign -- create', () => {
  it('stores a new round as its version 1, saved by operations, and says how to invite its secretariat', async () => {
    const w = world();
    const file = fileWith('csa.json', agronomy);
    await runCampaignCommand(
      ['create', '--file', file, '--table', 'laurel', '--note', '农学会内部推荐'],
      {
        log: (l) => w.lines.push(l),
      },
      w.open,
    );
    const versions = await w.catalog.versions('csa-2024');
    expect(versions).toHaveLength(1);
    expect(versions[0]?.version).toBe(1);
    expect(versions[0]?.savedBy.role).toBe('ops');
    expect(versions[0]?.note).toBe('农学会内部推荐');
    expect(versions[0]?.campaign.deadline).toBe('2025-02-10T00:00:00+08:00');
    expect(w.lines[0]).toContain('created csa-2024 v1');
    expect(w.lines[1]).toContain('npm run invite -- --table laurel');
    expect(w.lines[1]).toContain('--campaign csa-2024');
    expect(w.closed()).toBe(1);
  });

  it('refuses a broken definition with every problem by field in both languages, and stores nothing', async () => {
    const w = world();
    const file = fileWith('broken.json', {
      ...agronomy,
      deadline: '2025-03-01T00:00:00+08:00', // after CAST's round closes
      selection: { quota: { scope: 'per-category', limit: 3 } }, // CAST gives a national society 2
    });
    await expect(
      runCampaignCommand(
        ['create', '--file', file, '--table', 'laurel'],
        { log: (l) => w.lines.push(l) },
        w.open,
      ),
    ).rejects.toThrow('create refused');
    expect(await w.catalog.versions('csa-2024')).toEqual([]);
    const problems = w.lines.slice(1);
    expect(problems.some((l) => l.trim().startsWith('deadline:'))).toBe(true);
    expect(problems.some((l) => l.trim().startsWith('selection.quota'))).toBe(true);
    for (const line of problems) expect(line).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
    expect(w.closed()).toBe(1);
  });

  it('refuses a round whose id is taken, leaving the stored one as it was', async () => {
    const w = world();
    const file = fileWith('taken.json', { ...agronomy, id: 'cacs-2024' });
    await expect(
      runCampaignCommand(
        ['create', '--file', file, '--table', 'laurel'],
        { log: (l) => w.lines.push(l) },
        w.open,
      ),
    ).rejects.toThrow('create refused');
    const versions = await w.catalog.versions('cacs-2024');
    expect(versions).toHaveLength(1);
    expect(versions[0]?.campaign.deadline).toBe(cacs.deadline);
  });

  it('asks for the file before touching any stage', async () => {
    const w = world();
    await expect(
      runCampaignCommand(['create', '--table', 'laurel'], { log: () => {} }, w.open),
    ).rejects.toThrow(/usage: npm run campaign/);
    expect(w.closed()).toBe(0);
  });
});
