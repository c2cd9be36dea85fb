import { describe, expect, it } from 'vitest';
import { pastHonoureeFlag } from '../../../functions/rules/nomination-view.js';
import { importHonourees } from '../../../functions/use-cases/secretariat.js';
import { awaitStep, validateSubmission } from '../../../functions/use-cases/tasks.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * The state machines' tasks (functions/use-cases/tasks.ts) at the edges the pipelines do not
 * reach: which past-honouree list a society round checks against, and a task for a nomination
 * that does not exist.
 */

const LI = '姓名,单位,年度,类别\n李曉梅,杭州市科技志愿服务总队,2021,科技志愿者\n';
const OTHER = '姓名,单位,年度,类别\n张伟,北京市朝阳区科协,2020,科技志愿者\n';

async function societyNomination(world: World) {
  const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
  return submitted(world, unit, 'volunteer');
}

describe('validateSubmission', () => {
  it("checks a society round without a list of its own against its parent round's list", async () => {
    const world = memoryWorld();
    await importHonourees(world.deps, secretariatOf('cast-2024'), 'cast-2024', { csv: LI });
    const n = await societyNomination(world);
    expect(pastHonoureeFlag(n.eligibility)).toMatchObject({ match: 'exact', honouree: { name: '李曉梅' } });
    expect((await validateSubmission(world.deps, { nominationId: n.id })).eligible).toBe(false);
  });

  it("uses the society's own list once it has one, not the parent's", async () => {
    const world = memoryWorld();
    await importHonourees(world.deps, secretariatOf('cast-2024'), 'cast-2024', { csv: LI });
    await importHonourees(world.deps, secretariatOf('cacs-2024'), 'cacs-2024', { csv: OTHER });
    const n = await societyNomination(world);
    expect(pastHonoureeFlag(n.eligibility).match).not.toBe('exact');
  });

  it('refuses a nomination that does not exist, by name', async () => {
    const world = memoryWorld();
    await expect(validateSubmission(world.deps, { nominationId: 'n-0000000404' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      awaitStep(world.deps, { nominationId: 'n-0000000404', step: 'screening', taskToken: 't' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
