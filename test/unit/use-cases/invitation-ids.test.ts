import { describe, expect, it } from 'vitest';
import { executionHistory, listExecutions } from '../../../functions/use-cases/operations.js';
import { listUnits } from '../../../functions/use-cases/secretariat.js';
import { inviteByMail } from '../../../functions/use-cases/sign-in.js';
import { memoryWorld } from '../../support/memory/index.js';
import { invite, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * Officers never make ids up nor read them (issue 17, item 4): an invitation without an id gets one
 * derived from the unit's name or the person's e-mail, stable across invitations; the invited units
 * form the campaign's directory the console picks them from by name; operations read each execution
 * beside the nominee and unit it is about.
 */

const sec = secretariatOf('cast-2024');

describe('invitations without an id', () => {
  it('derive one unit id from the unit name, whatever its width, spacing or contact', async () => {
    const world = memoryWorld();
    const first = await invite(world, sec, {
      role: 'unit',
      name: '江西省科学技术协会（省学会）',
      email: 'office@jxast.cn',
      unitType: 'provincial-association',
    });
    const second = await invite(world, sec, {
      role: 'unit',
      name: ' 江西省科学技术协会(省学会) ',
      email: 'deputy@jxast.cn',
      unitType: 'provincial-association',
    });
    const other = await invite(world, sec, {
      role: 'unit',
      name: '浙江省科学技术协会',
      email: 'office@zast.cn',
      unitType: 'provincial-association',
    });
    expect(first.subjectId).toMatch(/^unit-[0-9a-f]{16}$/);
    expect(second.subjectId).toBe(first.subjectId);
    expect(other.subjectId).not.toBe(first.subjectId);
    // The directory holds each unit once, by its latest name (trimmed), in pinyin order.
    expect(await listUnits(world.deps, sec, 'cast-2024')).toEqual([
      { id: first.subjectId, name: '江西省科学技术协会(省学会)', unitType: 'provincial-association' },
      { id: other.subjectId, name: '浙江省科学技术协会', unitType: 'provincial-association' },
    ]);
  });

  it('derive an expert id from the e-mail, case aside, and keep an id given through the API', async () => {
    const world = memoryWorld();
    const expert = (email: string, subjectId?: string) =>
      inviteByMail(world.deps, sec, {
        role: 'expert',
        name: '王教授',
        email,
        ...(subjectId ? { subjectId } : {}),
      });
    const a = (await expert('Wang@univ.edu.cn')).invitation.subjectId;
    const b = (await expert('wang@UNIV.edu.cn')).invitation.subjectId;
    const c = (await expert('li@univ.edu.cn')).invitation.subjectId;
    expect(a).toMatch(/^expert-[0-9a-f]{16}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect((await expert('zhao@univ.edu.cn', 'expert-zhao')).invitation.subjectId).toBe('expert-zhao');
    // Experts are no units: the directory stays empty.
    expect(await listUnits(world.deps, sec, 'cast-2024')).toEqual([]);
  });

  it('refuse the directory to a unit and to another campaign’s secretariat', async () => {
    const world = memoryWorld();
    const unit = await invite(world, sec, {
      role: 'unit',
      name: '江西省科学技术协会',
      email: 'office@jxast.cn',
      unitType: 'provincial-association',
    });
    await expect(listUnits(world.deps, unit, 'cast-2024')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listUnits(world.deps, secretariatOf('other'), 'cast-2024')).rejects.toBeDefined();
  });
});

describe('operations rows', () => {
  it('name the category and unit beside the execution, and never the nominee', async () => {
    const world = memoryWorld();
    const unit = await invite(world, sec, {
      role: 'unit',
      name: '江西省科学技术协会',
      email: 'office@jxast.cn',
      unitType: 'provincial-association',
    });
    const n = await submitted(world, unit, 'volunteer');
    await world.settle();
    const ops = { ...sec, role: 'ops' as const };
    const { executions } = await listExecutions(world.deps, ops, {});
    // A filter it does not know is refused naming the field, in both languages.
    await expect(listExecutions(world.deps, ops, { status: 'evil' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      messages: { zh: expect.stringContaining('运行状态'), en: expect.stringContaining('Status') },
    });
    const row = executions.find((e) => e.name === n.id);
    expect(row).toMatchObject({ category: 'volunteer', unitName: '江西省科学技术协会' });
    // Operations mend runs; whose they are is personal information they do not need.
    expect(row).not.toHaveProperty('nominee');
    const history = await executionHistory(world.deps, ops, n.id, {});
    expect(history.subject).toEqual({ category: 'volunteer', unitName: '江西省科学技术协会' });
    // Another campaign's operator sees the events but not who they are about.
    expect(
      (await executionHistory(world.deps, { ...ops, campaignId: 'other' }, n.id, {})).subject,
    ).toBeNull();
  });
});
