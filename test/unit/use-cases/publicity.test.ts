import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { listedName } from '../../../functions/rules/nomination-view.js';
import {
  listObjections,
  openPublicity,
  publicList,
  resolveObjection,
  submitObjection,
} from '../../../functions/use-cases/campaign-steps.js';
import { memoryWorld } from '../../support/memory/index.js';
import {
  endSubmissions,
  forwardedInCast,
  MINUTE_MS,
  secretariatOf,
  stored,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * Publicity (functions/use-cases/campaign-steps.ts): the secretariat opens the public notice for
 * the campaign's period — a job puts every forwarded nomination on it — anyone may object while it
 * is open, and the secretariat resolves each objection once; an upheld one takes the nomination
 * off the list and ends its execution.
 */

const sec = secretariatOf('cast-2024');
const objection = (nominationId: string) => ({
  nominationId,
  reason: '该项目启动时间与申报材料不符，请核实。',
  name: '张三',
  contact: 'zhang@example.cn',
});

type World = ReturnType<typeof memoryWorld>;

/** Nominations of `categories` forwarded into the CAST round and put on its public notice; their ids. */
async function onTheNotice(world: World, categories: Parameters<typeof forwardedInCast>[1]) {
  const ids = await forwardedInCast(world, categories);
  await endSubmissions(world, 'cast-2024');
  await openPublicity(world.deps, sec, 'cast-2024');
  await world.settle();
  return ids;
}

/** One nomination of `category` on the notice, objected to once: its id and the objection's. */
async function objectedOnTheNotice(world: World, category: Parameters<typeof forwardedInCast>[1][number]) {
  const [id] = (await onTheNotice(world, [category])) as [string];
  const { id: objectionId } = await submitObjection(world.deps, 'cast-2024', objection(id));
  return { id, objectionId };
}

describe('publicity', () => {
  it('refuses to open publicity with nothing forwarded', async () => {
    const world = memoryWorld();
    await endSubmissions(world, 'cast-2024');
    await expect(openPublicity(world.deps, sec, 'cast-2024')).rejects.toMatchObject({
      code: 'NOTHING_TO_PUBLISH',
      kind: 'conflict',
    });
    expect((await world.deps.campaignStore.state('cast-2024')).publicity).toBeUndefined();
  });

  it('opens the notice for seven days and lists every forwarded nomination without personal details', async () => {
    const world = memoryWorld();
    const ids = await forwardedInCast(world, ['volunteer', 'site']);
    const openedAt = world.clock.now();
    await endSubmissions(world, 'cast-2024');
    const job = await openPublicity(world.deps, sec, 'cast-2024');
    expect(job).toMatchObject({ id: 'publicity', status: 'running', summary: { state: { publicity: {} } } });
    await world.settle();
    expect(await world.deps.jobs.job('cast-2024', 'publicity')).toMatchObject({ status: 'done', total: 2 });
    const { state, entries } = await publicList(world.deps, 'cast-2024', 'publicity');
    expect(state.publicity).toEqual({
      openedAt: openedAt.toISOString(),
      closesAt: new Date(openedAt.getTime() + 7 * DAY_MS).toISOString(),
    });
    expect(entries.map((e) => [e.name, e.unitName]).sort()).toEqual([
      ['李晓梅', '中国天文学会'],
      ['陶溪川社区（江西省景德镇市珠山区新村街道）', '中国天文学会'],
    ]);
    const shown = JSON.stringify(entries);
    expect(shown).not.toContain('13800138000');
    expect(shown).not.toContain('文三路');
    // The job ended by publishing the notice as static files: the JSON the page reads, and HTML.
    const files = world.deps.publicFiles.files;
    const json = JSON.parse(files.get('cast-2024/publicity.json')?.body ?? '{}');
    expect(json.entries.map((e: { name: string }) => e.name).sort()).toEqual(
      entries.map((e) => e.name).sort(),
    );
    expect(json.state).toEqual(state);
    const html = files.get('cast-2024/publicity.html');
    expect(html?.contentType).toBe('text/html; charset=utf-8');
    expect(html?.body).toContain('<td>李晓梅</td><td>中国天文学会</td>');
    expect(html?.body).not.toContain('13800138000');
    expect(files.has('cast-2024/released.json')).toBe(false);
    for (const id of ids) {
      expect((await stored(world, id)).status).toBe('in-publicity');
      expect(world.workflow.execution(id)?.current).toBe('AwaitPublicity');
    }
  });

  it('keeps the first window when opened again, and refuses once nothing is left to put on the notice', async () => {
    const world = memoryWorld();
    await onTheNotice(world, ['project']);
    const first = (await world.deps.campaignStore.state('cast-2024')).publicity;
    world.clock.advance(DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await expect(openPublicity(world.deps, sec, 'cast-2024')).rejects.toMatchObject({
      code: 'PUBLICITY_OPEN',
    });
    expect((await world.deps.campaignStore.state('cast-2024')).publicity).toEqual(first);
  });

  it('takes objections only to a nomination on the notice, only while publicity is open', async () => {
    const world = memoryWorld();
    const [id] = (await forwardedInCast(world, ['volunteer'])) as [string];
    await expect(submitObjection(world.deps, 'cast-2024', objection(id))).rejects.toMatchObject({
      code: 'PUBLICITY_CLOSED',
    });
    await endSubmissions(world, 'cast-2024');
    await openPublicity(world.deps, sec, 'cast-2024');
    await world.settle();
    await expect(submitObjection(world.deps, 'cast-2024', objection('n-0000009999'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      submitObjection(world.deps, 'cast-2024', { ...objection(id), reason: '不对' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['reason'] });
    await expect(submitObjection(world.deps, 'cacs-2024', objection(id))).rejects.toMatchObject({
      code: 'PUBLICITY_CLOSED',
    });
    const { id: objectionId } = await submitObjection(world.deps, 'cast-2024', objection(id));
    const objected = await stored(world, id);
    // Whom it is about is recorded with it: the list names them without reading the nomination.
    const nominee = { name: listedName(objected), category: objected.category, unitName: objected.unitName };
    expect(nominee.name).not.toBe('');
    expect((await listObjections(world.deps, sec, 'cast-2024', {})).objections).toEqual([
      expect.objectContaining({
        id: objectionId,
        nominationId: id,
        name: '张三',
        contact: 'zhang@example.cn',
        nominee,
      }),
    ]);
    // One kept before objections recorded their nominee is named from the nomination.
    const [kept] = await world.deps.campaignStore.objections('cast-2024');
    const { nominee: _recorded, ...older } = kept ?? { nominee: undefined };
    await world.deps.campaignStore.addObjection({ ...(older as typeof kept & {}), id: 'o-older' });
    expect(
      (await listObjections(world.deps, sec, 'cast-2024', {})).objections.find((o) => o.id === 'o-older')
        ?.nominee,
    ).toEqual(nominee);
    // A page at a time: the cursor leads on to the rest, and only this list's cursor is taken.
    const first = await listObjections(world.deps, sec, 'cast-2024', { limit: '1' });
    expect(first.objections).toHaveLength(1);
    expect(first.cursor).toEqual(expect.any(String));
    const rest = await listObjections(world.deps, sec, 'cast-2024', { cursor: first.cursor });
    expect([...first.objections, ...rest.objections].map((o) => o.id).sort()).toEqual(
      [objectionId, 'o-older'].sort(),
    );
    expect(rest.cursor).toBeNull();
    for (const query of [{ cursor: 'not-a-cursor' }, { limit: '0' }, { limit: '101' }, { status: 'open' }])
      await expect(listObjections(world.deps, sec, 'cast-2024', query)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    world.clock.advance(7 * DAY_MS);
    await expect(submitObjection(world.deps, 'cast-2024', objection(id))).rejects.toMatchObject({
      code: 'PUBLICITY_CLOSED',
    });
    expect(await world.deps.campaignStore.objections('cast-2024')).toHaveLength(2);
  });

  it('withdraws a nomination whose objection is upheld: off the notice, execution ended, slot kept', async () => {
    const world = memoryWorld();
    const [upheld, kept] = (await onTheNotice(world, ['project', 'site'])) as [string, string];
    const ledger = await world.deps.store.quotaLedger('cast-2024', 'cas-astro');
    const { id } = await submitObjection(world.deps, 'cast-2024', objection(upheld));
    world.clock.advance(MINUTE_MS);
    const resolved = await resolveObjection(world.deps, sec, 'cast-2024', id, {
      decision: 'uphold',
      note: '经核实属实',
    });
    expect(resolved.resolution).toMatchObject({ decision: 'uphold', note: '经核实属实', by: sec.subjectId });
    expect(await stored(world, upheld)).toMatchObject({ status: 'withdrawn-after-objection' });
    await world.settle();
    expect(world.workflow.execution(upheld)).toMatchObject({
      status: 'SUCCEEDED',
      current: 'WithdrawnAfterObjection',
    });
    expect(world.workflow.answers(upheld).at(-1)).toMatchObject({
      error: { Error: 'Laurel.Outcome.WithdrawnAfterObjection', Cause: '{"outcome":"withdrawn"}' },
    });
    expect(
      (await publicList(world.deps, 'cast-2024', 'publicity')).entries.map((e) => e.nominationId),
    ).toEqual([kept]);
    // Published again without it: the static notice is what visitors read.
    const published = JSON.parse(world.deps.publicFiles.files.get('cast-2024/publicity.json')?.body ?? '{}');
    expect(published.entries.map((e: { nominationId: string }) => e.nominationId)).toEqual([kept]);
    expect(world.deps.publicFiles.files.get('cast-2024/publicity.html')?.body.split('<tr><td>')).toHaveLength(
      2,
    );
    // The campaign allows no replacement: the withdrawn nomination keeps its slot.
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual(ledger);
    expect(
      (await world.deps.store.auditTrail(upheld)).find((e) => e.action === 'uphold-objection'),
    ).toMatchObject({ reason: '经核实属实', actor: { role: 'secretariat' } });
  });

  it('frees the slot of a nomination withdrawn after an upheld objection where the campaign allows a replacement, once', async () => {
    const cast = BUILTIN_CAMPAIGNS.get('cast-2024');
    if (!cast?.publicity) throw new Error('no cast-2024');
    const campaigns = new Map(BUILTIN_CAMPAIGNS);
    campaigns.set('cast-2024', { ...cast, publicity: { ...cast.publicity, replacementAllowed: true } });
    const world = memoryWorld({ campaigns });
    const [upheld] = (await onTheNotice(world, ['project', 'site'])) as [string, string];
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ project: 1, site: 1 });
    const { id } = await submitObjection(world.deps, 'cast-2024', objection(upheld));
    const resolution = { decision: 'uphold', note: '经核实属实' };
    await resolveObjection(world.deps, sec, 'cast-2024', id, resolution);
    await world.settle();
    expect(await stored(world, upheld)).toMatchObject({ status: 'withdrawn-after-objection' });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ project: 0, site: 1 });
    // The repeat of the resolution (a lost answer) is answered as the first, and frees nothing more.
    expect(await resolveObjection(world.deps, sec, 'cast-2024', id, resolution)).toMatchObject({
      resolution,
    });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ project: 0, site: 1 });
  });

  it('keeps a nomination on the notice when its objection is dismissed, and resolves an objection only once', async () => {
    const world = memoryWorld();
    const { id, objectionId } = await objectedOnTheNotice(world, 'organization');
    await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
      decision: 'dismiss',
      note: '材料无误',
    });
    expect((await stored(world, id)).status).toBe('in-publicity');
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'uphold', note: '改判' }),
    ).rejects.toMatchObject({
      code: 'ALREADY_RESOLVED',
      messages: { zh: expect.stringContaining('不成立'), en: expect.stringContaining('dismissed') },
    });
    // The same request again (a lost answer) gets the first resolution; another note is not the same request.
    expect(
      await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
        decision: 'dismiss',
        note: '材料无误',
      }),
    ).toMatchObject({ resolution: { decision: 'dismiss', note: '材料无误' } });
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'dismiss', note: '再次提交' }),
    ).rejects.toMatchObject({ code: 'ALREADY_RESOLVED' });
    expect((await stored(world, id)).status).toBe('in-publicity');
    expect((await world.deps.campaignStore.objections('cast-2024'))[0]?.resolution?.decision).toBe('dismiss');
  });

  it('refuses a colleague’s other resolution sent while the first is still telling the unit: 409 naming the one that stands, never BUSY', async () => {
    const world = memoryWorld();
    const { id, objectionId } = await objectedOnTheNotice(world, 'volunteer');
    // The upholding request's mail to the unit is on its way (held here) when the dismissal comes.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const send = world.deps.send;
    world.deps.send = async (mail) => {
      await held;
      return send(mail);
    };
    const upholding = resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
      decision: 'uphold',
      note: '经核实属实',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'dismiss', note: '材料无误' }),
    ).rejects.toMatchObject({ code: 'ALREADY_RESOLVED', messages: { zh: expect.stringContaining('成立') } });
    letGo();
    expect(await upholding).toMatchObject({ resolution: { decision: 'uphold' } });
    expect((await stored(world, id)).status).toBe('withdrawn-after-objection');
  });

  it('finishes an upheld objection whose withdrawal was cut short when the secretariat resolves it again', async () => {
    const world = memoryWorld();
    const { id, objectionId } = await objectedOnTheNotice(world, 'volunteer');
    // A request stored the resolution and crashed before it withdrew the nomination.
    world.deps.store.failWrites(1);
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'uphold', note: '经核实属实' }),
    ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect((await stored(world, id)).status).toBe('in-publicity');
    expect(
      await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
        decision: 'uphold',
        note: '经核实属实',
      }),
    ).toMatchObject({ resolution: { decision: 'uphold' } });
    expect((await stored(world, id)).status).toBe('withdrawn-after-objection');
    await world.settle();
    expect(world.workflow.execution(id)?.current).toBe('WithdrawnAfterObjection');
  });

  it('upholds two objections to one nomination at the same moment: both answered, one withdrawal, one notice', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['volunteer'])) as [string];
    const { id: first } = await submitObjection(world.deps, 'cast-2024', objection(id));
    const { id: second } = await submitObjection(world.deps, 'cast-2024', {
      ...objection(id),
      name: '李四',
      contact: 'li@example.cn',
    });
    const resolutions = [
      { objectionId: first, body: { decision: 'uphold', note: '经核实属实' } },
      { objectionId: second, body: { decision: 'uphold', note: '同一问题' } },
    ];
    const answers = await Promise.allSettled(
      resolutions.map((r) => resolveObjection(world.deps, sec, 'cast-2024', r.objectionId, r.body)),
    );
    // Each is answered, or told the other is sending the unit's notice (503 BUSY): never refused.
    for (const answer of answers)
      if (answer.status === 'rejected') expect(answer.reason).toMatchObject({ name: 'Laurel.StoreBusy' });
    // The busy one, sent again as its client does, is answered as done.
    for (const [i, answer] of answers.entries()) {
      const r = resolutions[i];
      if (answer.status === 'rejected' && r)
        expect(await resolveObjection(world.deps, sec, 'cast-2024', r.objectionId, r.body)).toMatchObject({
          resolution: { decision: 'uphold' },
        });
    }
    await world.settle();
    expect((await stored(world, id)).status).toBe('withdrawn-after-objection');
    expect(
      (await world.deps.store.auditTrail(id)).filter((e) => e.action === 'uphold-objection'),
    ).toHaveLength(1);
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('撤销'))).toHaveLength(1);
    expect(world.workflow.execution(id)?.current).toBe('WithdrawnAfterObjection');
  });

  it("refuses objections' resolution to anyone but the campaign's secretariat", async () => {
    const world = memoryWorld();
    const { id, objectionId } = await objectedOnTheNotice(world, 'volunteer');
    await expect(
      resolveObjection(world.deps, secretariatOf('cacs-2024'), 'cast-2024', objectionId, {
        decision: 'uphold',
        note: '越权',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await stored(world, id)).status).toBe('in-publicity');
  });
});
