import { describe, expect, it } from 'vitest';
import { createDraft, saveForm, submit } from '../../../functions/use-cases/nominations.js';
import { nomineeName } from '../../../functions/use-cases/notices.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { closeSubmissions } from '../../../functions/use-cases/secretariat.js';
import { volunteer } from '../../fixtures/forms.js';
import { CONSENT, DECLARED } from '../../support/consent.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  inviteUnit,
  MINUTE_MS,
  reviewClockRuns,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * Corrections as a secretariat runs them: a nomination returned after the society's deadline
 * (end of 13 February) is resubmitted within its own correction window; the unit is reminded
 * before the window ends; after it, the resubmission is refused. And an early close of
 * submissions stops new drafts and first submissions, not a correction.
 */

const sec = secretariatOf('cacs-2024');

async function returnedAfterDeadline(world: World) {
  const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
  const nomination = await submitted(world, unit, 'volunteer');
  world.clock.set('2025-02-15T10:00:00+08:00');
  const returned = await screen(world.deps, sec, nomination.id, {
    version: nomination.version,
    decision: 'return',
    reasons: '请补充近三年服务数据。',
  });
  await world.settle();
  return { unit, returned };
}

describe('the correction window of a returned nomination', () => {
  it('is resubmitted after the deadline within its window, and the mail names the window', async () => {
    const world = memoryWorld({ now: '2025-02-12T09:00:00+08:00' });
    const { unit, returned } = await returnedAfterDeadline(world);
    // Five days after 15 February, to the end of the day: 20 February 24:00 China time.
    expect(returned.correctionUntil).toBe('2025-02-20T16:00:00.000Z');
    expect(world.outbox.to('jdz@units.cn').at(-1)?.text).toContain(
      '修改后重新提交截止时间：2025-02-20 24:00 (UTC+8)',
    );
    world.clock.set('2025-02-20T23:50:00+08:00');
    const waiting = await stored(world, returned.id);
    const corrected = await saveForm(world.deps, unit, returned.id, {
      version: waiting.version,
      form: volunteer({ mainDeeds: '十年来坚持走进乡村学校开展手工艺科普，近三年服务 4000 余人次。' }),
    });
    const resubmitted = await submit(world.deps, unit, returned.id, {
      version: corrected.nomination.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(resubmitted.status).toBe('submitted');
  });

  it('is refused once the window has ended', async () => {
    const world = memoryWorld({ now: '2025-02-12T09:00:00+08:00' });
    const { unit, returned } = await returnedAfterDeadline(world);
    world.clock.set('2025-02-21T00:00:00+08:00');
    const waiting = await stored(world, returned.id);
    await expect(
      submit(world.deps, unit, returned.id, {
        version: waiting.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
      details: { correctionUntil: '2025-02-20T16:00:00.000Z' },
    });
    expect((await stored(world, returned.id)).status).toBe('returned');
  });

  it('takes a day the secretariat sets, never past the forwarding deadline', async () => {
    const world = memoryWorld({ now: '2025-02-12T09:00:00+08:00' });
    const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
    const nomination = await submitted(world, unit, 'volunteer');
    await expect(
      screen(world.deps, sec, nomination.id, {
        version: nomination.version,
        decision: 'return',
        reasons: '请补充',
        correctionDate: '2025-02-24',
      }),
    ).rejects.toMatchObject({ code: 'CORRECTION_AFTER_FORWARDING', path: ['correctionDate'] });
    expect((await stored(world, nomination.id)).status).toBe('submitted');
    const returned = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'return',
      reasons: '请补充',
      correctionDate: '2025-02-23',
    });
    expect(returned.correctionUntil).toBe('2025-02-23T16:00:00.000Z');
  });

  it('reminds the unit once when the window is about to end, on the review clock’s daily run; the wait is armed once', async () => {
    const world = memoryWorld({ now: '2025-02-12T09:00:00+08:00' });
    const { unit, returned } = await returnedAfterDeadline(world);
    const reminders = () => world.outbox.to('jdz@units.cn').filter((m) => m.subject.includes('即将到期'));
    const rearm = () => reviewClockRuns(world);
    world.clock.set('2025-02-17T10:00:00+08:00');
    await rearm();
    expect(reminders()).toHaveLength(0);
    world.clock.set('2025-02-19T10:00:00+08:00');
    await rearm();
    world.clock.advance(DAY_MS / 2);
    await rearm();
    // The unit edits its draft: a change of the nomination, not of its window — still one reminder.
    const current = await stored(world, returned.id);
    await saveForm(world.deps, unit, returned.id, { version: current.version, form: current.form });
    world.clock.advance(DAY_MS / 4);
    await rearm();
    expect(reminders()).toHaveLength(1);
    // Composed like every notice (noticeMail): text and HTML, the nominee, the reasons, the
    // deadline, the link to the unit's page and the society's contacts; no internal id.
    const [reminder] = reminders();
    expect(reminder?.text).toContain('修改后重新提交截止时间：2025-02-20 24:00 (UTC+8)');
    expect(reminder?.text).toContain(`推荐对象：${nomineeName(returned)}`);
    expect(reminder?.text).toContain('退回理由：');
    expect(reminder?.text).toMatch(/https?:\/\/\S+\/unit/);
    expect(reminder?.html).toContain('<a href=');
    expect(reminder?.html).toContain('2025-02-20 24:00');
    expect(reminder?.text).toContain('孟曦');
    expect(`${reminder?.subject}${reminder?.text}${reminder?.html}`).not.toContain(returned.id);
    expect(world.workflow.execution(returned.id)?.current).toBe('AwaitResubmission');
    expect(
      world.workflow.execution(returned.id)?.states.filter((s) => s === 'AwaitResubmission'),
    ).toHaveLength(1);
  });
});

describe('an early close of submissions', () => {
  it('stops new drafts and first submissions, not a correction', async () => {
    const world = memoryWorld({ now: '2025-02-05T09:00:00+08:00' });
    const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
    const first = await submitted(world, unit, 'volunteer');
    const returned = await screen(world.deps, sec, first.id, {
      version: first.version,
      decision: 'return',
      reasons: '请补充',
    });
    const draft = await createDraft(world.deps, unit, { category: 'site' });
    world.clock.advance(MINUTE_MS);
    await closeSubmissions(world.deps, sec, 'cacs-2024', { reason: '全部会员单位已报送' });
    await expect(createDraft(world.deps, unit, { category: 'project' })).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
      details: { closedEarly: true },
    });
    await expect(
      submit(world.deps, unit, draft.id, {
        version: draft.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
    });
    await world.settle();
    const waiting = await stored(world, returned.id);
    expect(
      (
        await submit(world.deps, unit, returned.id, {
          version: waiting.version,
          consent: CONSENT,
          declarations: DECLARED,
        })
      ).status,
    ).toBe('submitted');
  });
});
