import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../functions/ports/nominations.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import type { Assignment } from '../../../functions/rules/review.js';
import { exportPersonalData, personalDataOf } from '../../../functions/use-cases/personal-data-export.js';
import { memoryWorld } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, stored, submitted } from '../../support/memory/people.js';

/**
 * A person's copy of their data as the secretariat hands it over: one ZIP with the JSON of the
 * nomination and every recorded file, under packages/, served by a link; the export itself
 * recorded as a read. And the JSON's parts, from made-up records: other people by role only.
 */

const sec = secretariatOf('cast-2024');

async function withSubmission() {
  const world = memoryWorld({ now: '2025-02-01T09:00:00+08:00' });
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  const nomination = await submitted(world, unit, 'volunteer');
  return { world, unit, nomination };
}

describe('exportPersonalData', () => {
  it('writes one ZIP of the JSON and every recorded file, served by a link named for the person', async () => {
    const { world, nomination } = await withSubmission();
    world.clock.set('2025-02-03T10:20:30.456+08:00');
    const exported = await exportPersonalData(world.deps, sec, nomination.id);
    const n = await stored(world, nomination.id);
    const extension = (key: string) => key.slice(key.lastIndexOf('.') + 1);
    const fileNames = n.attachments.map(
      (a, i) => `files/${String(i + 1).padStart(2, '0')}-${a.kind}.${extension(a.key)}`,
    );
    expect(n.attachments.length).toBeGreaterThan(1);
    expect(fileNames[0]).toMatch(/^files\/01-[a-z]+\.[a-z]+$/);
    expect(exported.files).toEqual(['personal-data.json', ...fileNames]);

    const key = `packages/cast-2024/personal-data/${n.id}-2025-02-03T02-20-30-456Z.zip`;
    expect(world.deps.uploads.keys()).toContain(key);
    expect(world.deps.uploads.contentType(key)).toBe('application/zip');
    const url = new URL(exported.url);
    expect(url.pathname.endsWith(key)).toBe(true);
    expect(url.searchParams.get('response-content-type')).toBe('application/zip');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(`个人信息副本-${n.id}.zip`)}`,
    );
    const zip = world.deps.uploads.download(exported.url);
    expect(zip?.byteLength).toBe(exported.bytes);
    const entries = unzipSync(zip ?? new Uint8Array());
    expect(Object.keys(entries)).toEqual(exported.files);
    for (const [i, a] of n.attachments.entries()) {
      const recorded = await world.deps.uploads.readVersion({ key: a.key, versionId: a.versionId });
      // Compared as buffers: an element-wise deep equality of megabytes takes minutes.
      expect(Buffer.from(entries[fileNames[i] ?? ''] ?? []).equals(Buffer.from(recorded ?? [1]))).toBe(true);
    }
    const data = JSON.parse(strFromU8(entries['personal-data.json'] ?? new Uint8Array()));
    expect(data.exportedAt).toBe('2025-02-03T02:20:30.456Z');
    expect(data.nomination.id).toBe(n.id);
    expect(data.nomination.form).toEqual(n.form);
    expect(data.files.map((f: { file: string }) => f.file)).toEqual(fileNames);
    expect(data.history.map((e: { action: string }) => e.action)).toContain('submit');
    // Indented, as a person opens it in a text editor.
    expect(strFromU8(entries['personal-data.json'] ?? new Uint8Array())).toContain('\n  "exportedAt": ');

    const reads = await world.deps.accessLog.reads(n.id);
    expect(reads.at(-1)).toMatchObject({
      at: '2025-02-03T02:20:30.456Z',
      reader: { role: 'secretariat', subjectId: sec.subjectId },
      read: ['form', 'files'],
    });
  });

  it("is the secretariat's alone, of its own round's nominations", async () => {
    const { world, unit, nomination } = await withSubmission();
    await expect(exportPersonalData(world.deps, unit, nomination.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const notFound = {
      code: 'NOT_FOUND',
      kind: 'not-found',
      messages: { zh: `推荐“${nomination.id}”不存在`, en: `No nomination "${nomination.id}"` },
    };
    await expect(
      exportPersonalData(world.deps, secretariatOf('cacs-2024'), nomination.id),
    ).rejects.toMatchObject(notFound);
    await expect(exportPersonalData(world.deps, sec, 'n-none')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { en: 'No nomination "n-none"' },
    });
    expect(world.deps.uploads.keys().filter((k) => k.startsWith('packages/'))).toEqual([]);
    expect(await world.deps.accessLog.reads(nomination.id)).toEqual([]);
  });

  it('refuses a file changed since it was recorded, writing no ZIP', async () => {
    const { world, nomination } = await withSubmission();
    const [first] = nomination.attachments;
    if (!first) throw new Error('the nomination has files');
    await world.deps.uploads.put(first.key, new Uint8Array([1, 2, 3]), first.mime);
    const n = await stored(world, nomination.id);
    const changed = { ...n, attachments: [{ ...first, versionId: 'v-other' }, ...n.attachments.slice(1)] };
    const deps = { ...world.deps, store: { ...world.deps.store, get: async () => changed } };
    await expect(exportPersonalData(deps, sec, n.id)).rejects.toMatchObject({ code: 'ATTACHMENT_CHANGED' });
    expect(world.deps.uploads.keys().filter((k) => k.startsWith('packages/'))).toEqual([]);
  });
});

describe('personalDataOf', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 0, minute)).toISOString();

  async function made() {
    const { world, nomination } = await withSubmission();
    const n: Nomination = {
      ...(await stored(world, nomination.id)),
      awaiting: { taskToken: 'secret-token', step: 'screening', since: at(1) },
      unitEmail: 'office@astronomy.cn',
      forwardedFrom: {
        campaignId: 'cacs-2024',
        nominationId: 'n-cacs-1',
        unitName: '景德镇陶瓷学会',
        unitEmail: 'jdz@units.cn',
      },
    } as Nomination;
    return n;
  }

  const actor = (role: AuditEvent['actor']['role'], name: string) => ({ role, subjectId: `${role}-1`, name });
  const audit: AuditEvent[] = [
    { nominationId: 'x', at: at(1), actor: actor('unit', '单位联系人'), action: 'submit' },
    {
      nominationId: 'x',
      at: at(2),
      actor: actor('secretariat', '秘书处张三'),
      action: 'return',
      reason: '请补充',
    },
    {
      nominationId: 'x',
      at: at(3),
      actor: actor('expert', '专家一号'),
      action: 'review',
      reason: '回避说明',
    },
  ];
  const review = (comment?: string): Assignment['review'] => ({
    expertId: 'e-reviewer',
    submittedAt: at(4),
    total: 88,
    scores: { exemplary: 30 },
    recommend: true,
    ...(comment === undefined ? {} : { comment }),
  });
  const assignment = (expertId: string, extra: Partial<Assignment>): Assignment => ({
    nominationId: 'x',
    expertId,
    expertName: `专家${expertId}`,
    assignedAt: at(3),
    ...extra,
  });

  it('keeps the nomination, leaving out the task token, the contact e-mail and the former unit', async () => {
    const n = await made();
    const data = personalDataOf(
      n,
      { audit: [], assignments: [], objections: [], reads: [] },
      new Date(at(9)),
    );
    expect(data.exportedAt).toBe(at(9));
    expect(data.nomination).not.toHaveProperty('awaiting');
    expect(data.nomination).not.toHaveProperty('unitEmail');
    expect(data.nomination).not.toHaveProperty('attachments');
    expect(data.nomination.forwardedFrom).toEqual({ campaignId: 'cacs-2024', nominationId: 'n-cacs-1' });
    expect(data.nomination.status).toBe(n.status);
    const { consent: _c, ...withoutConsent } = n;
    const bare = personalDataOf(
      { ...withoutConsent, forwardedFrom: undefined } as Nomination,
      { audit: [], assignments: [], objections: [], reads: [] },
      new Date(at(9)),
    );
    expect(bare.nomination).not.toHaveProperty('consent');
    expect(bare.nomination).not.toHaveProperty('forwardedFrom');
    const text = JSON.stringify(data);
    for (const hidden of ['secret-token', 'office@astronomy.cn', 'jdz@units.cn', '景德镇陶瓷学会'])
      expect(text, hidden).not.toContain(hidden);
  });

  it('lists each file with its name in the ZIP and what was recorded of it', async () => {
    const n = await made();
    const data = personalDataOf(
      n,
      { audit: [], assignments: [], objections: [], reads: [] },
      new Date(at(9)),
    );
    const first = n.attachments[0];
    expect(data.files[0]).toEqual({
      file: `files/01-${first?.kind}.${first?.key.split('.').pop()}`,
      kind: first?.kind,
      fileName: first?.fileName,
      size: first?.size,
      mime: first?.mime,
      sha256: first?.sha256,
      uploadedAt: first?.uploadedAt,
    });
    expect(data.files.map((f) => f.file.slice(0, 9))).toEqual(
      n.attachments.map((_, i) => `files/${String(i + 1).padStart(2, '0')}-`),
    );
  });

  it('shows the history by role, the reviewers without their names or reasons', async () => {
    const n = await made();
    const data = personalDataOf(n, { audit, assignments: [], objections: [], reads: [] }, new Date(at(9)));
    expect(data.history).toEqual([
      { at: at(1), action: 'submit', by: 'unit' },
      { at: at(2), action: 'return', by: 'secretariat', reason: '请补充' },
      { at: at(3), action: 'review', by: 'expert' },
    ]);
  });

  it('shows the reviews given, with a comment only when there is one, and no expert', async () => {
    const n = await made();
    const assignments = [
      assignment('e1', { review: review('很好') }),
      assignment('e2', {}),
      assignment('e3', { review: review('') }),
    ];
    const data = personalDataOf(n, { audit: [], assignments, objections: [], reads: [] }, new Date(at(9)));
    expect(data.reviews).toEqual([
      { submittedAt: at(4), total: 88, scores: { exemplary: 30 }, recommend: true, comment: '很好' },
      { submittedAt: at(4), total: 88, scores: { exemplary: 30 }, recommend: true },
    ]);
    expect(JSON.stringify(data.reviews)).not.toContain('专家');
    expect(JSON.stringify(data.reviews)).not.toContain('e-reviewer');
  });

  it("shows this nomination's objections and their resolutions, not who objected or resolved", async () => {
    const n = await made();
    const objection = (id: string, nominationId: string, resolved: boolean) => ({
      id,
      campaignId: 'cast-2024',
      nominationId,
      reason: `异议${id}`,
      name: '异议人甲',
      contact: '13700009999',
      submittedAt: at(5),
      ...(resolved
        ? { resolution: { decision: 'dismiss' as const, note: '经核实无误', at: at(6), by: '秘书处张三' } }
        : {}),
    });
    const objections = [
      objection('o1', n.id, true),
      objection('o2', 'someone-else', true),
      objection('o3', n.id, false),
    ];
    const data = personalDataOf(n, { audit: [], assignments: [], objections, reads: [] }, new Date(at(9)));
    expect(data.objections).toEqual([
      {
        submittedAt: at(5),
        reason: '异议o1',
        resolution: { decision: 'dismiss', note: '经核实无误', at: at(6) },
      },
      { submittedAt: at(5), reason: '异议o3' },
    ]);
  });

  it('shows who read the nomination by role, and what', async () => {
    const n = await made();
    const reads = [
      {
        nominationId: n.id,
        at: at(7),
        reader: { role: 'expert', subjectId: 'e1', name: '专家一号' },
        read: ['photos' as const],
      },
    ];
    const data = personalDataOf(n, { audit: [], assignments: [], objections: [], reads }, new Date(at(9)));
    expect(data.reads).toEqual([{ at: at(7), by: 'expert', read: ['photos'] }]);
  });
});
