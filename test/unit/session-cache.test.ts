import { describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/rules/access.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { currentActor, issueInvitation, signIn, signOut } from '../../functions/use-cases/sign-in.js';
import { SESSION_CACHE_MS, withSessionCache } from '../../functions/wiring/session-cache.js';
import { memoryAccessStore } from '../support/memory/access.js';

const secretariat: Actor = {
  role: 'secretariat',
  campaignId: 'cacs-2024',
  subjectId: 'sec',
  name: '秘书处',
  email: 's@x.cn',
};
const unitRequest = { role: 'unit', name: '景德镇陶瓷学会', email: 'unit@x.cn', unitType: 'member' };

/**
 * Two warm containers (say the sessions function, where sign-out is served, and the nominations
 * function) over one table, each with its own cache of the sessions it read.
 */
function twoContainers() {
  let now = new Date('2025-01-20T09:00:00+08:00');
  let counter = 0;
  const table = memoryAccessStore();
  let reads = 0;
  const counted = {
    ...table,
    getSession: (hash: string) => {
      reads += 1;
      return table.getSession(hash);
    },
  };
  const clock = { now: () => now };
  const container = () => ({
    access: withSessionCache(counted, { ttlMs: SESSION_CACHE_MS, now: () => now.getTime() }),
    campaigns: BUILTIN_CAMPAIGNS,
    clock,
    secrets: { token: () => `token-${++counter}-${'x'.repeat(30)}`, hash: (t: string) => `h(${t})` },
  });
  return {
    sessions: container(),
    nominations: container(),
    reads: () => reads,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

async function signedIn(world: ReturnType<typeof twoContainers>) {
  const { token } = await issueInvitation(world.sessions, secretariat, unitRequest);
  return (await signIn(world.sessions, token)).sessionToken;
}

describe('the session cache of a warm container', () => {
  it('reads a session from the table once a minute at most, however many requests it serves', async () => {
    const world = twoContainers();
    const session = await signedIn(world);
    for (let i = 0; i < 5; i++) await currentActor(world.nominations, session);
    expect(world.reads()).toBe(1);
    world.advance(SESSION_CACHE_MS);
    await currentActor(world.nominations, session);
    expect(world.reads()).toBe(2);
  });

  it('honours a sign-out in its own container at once, and in another within the documented window', async () => {
    const world = twoContainers();
    const session = await signedIn(world);
    await currentActor(world.sessions, session);
    await currentActor(world.nominations, session);
    world.advance(20_000);
    await signOut(world.sessions, session);
    // Where the sign-out was served: refused at once.
    await expect(currentActor(world.sessions, session)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    // Elsewhere: still trusted until a minute after that container read it, never longer.
    world.advance(SESSION_CACHE_MS - 20_000 - 1);
    await expect(currentActor(world.nominations, session)).resolves.toMatchObject({ role: 'unit' });
    world.advance(1);
    await expect(currentActor(world.nominations, session)).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
      kind: 'unauthenticated',
    });
  });

  it('is not renewed by use: a session used every second is read again each minute', async () => {
    const world = twoContainers();
    const session = await signedIn(world);
    for (let second = 0; second < 3 * 60; second++) {
      await currentActor(world.nominations, session);
      world.advance(1000);
    }
    expect(world.reads()).toBe(3);
  });

  it('ends a cached session at its expiry, not a minute later', async () => {
    const world = twoContainers();
    const session = await signedIn(world);
    world.advance(12 * 3_600_000 - 10_000);
    await expect(currentActor(world.nominations, session)).resolves.toMatchObject({ role: 'unit' });
    world.advance(10_000);
    await expect(currentActor(world.nominations, session)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('remembers no unknown token: each costs a read, none is kept', async () => {
    const world = twoContainers();
    for (let i = 0; i < 3; i++)
      await expect(currentActor(world.nominations, `forged-${i}-${'y'.repeat(30)}`)).rejects.toMatchObject({
        code: 'NOT_SIGNED_IN',
      });
    await expect(currentActor(world.nominations, `forged-0-${'y'.repeat(30)}`)).rejects.toBeTruthy();
    expect(world.reads()).toBe(4);
  });
});
