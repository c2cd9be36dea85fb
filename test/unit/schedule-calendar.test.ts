import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scheduleCalendar } from '../../infra/local/schedule-calendar.js';

const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T00:00:00Z');

describe("the local schedules' scaled calendar", () => {
  const dirs: string[] = [];
  const fileIn = () => {
    const dir = mkdtempSync(join(tmpdir(), 'laurel-schedules-'));
    dirs.push(dir);
    return join(dir, 'data', 'schedules.json');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('stands each firing one period after the one before, from the clock at the start', () => {
    const calendar = scheduleCalendar(fileIn(), T0);
    expect(calendar.next('review-clock', DAY).toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(calendar.next('review-clock', DAY).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    // Each schedule has its own.
    expect(calendar.next('retention-schedule', DAY).toISOString()).toBe('2025-03-02T00:00:00.000Z');
  });

  it('goes on from the last firing when the cloud starts again on the same data, never back', () => {
    const file = fileIn();
    const first = scheduleCalendar(file, T0);
    for (let day = 0; day < 5; day++) first.next('review-clock', DAY);
    // Started again a moment later: its clock is behind the five scaled days already fired.
    const again = scheduleCalendar(file, T0 + 60_000);
    expect(again.next('review-clock', DAY).toISOString()).toBe('2025-03-07T00:00:00.000Z');
    // Started with the campaigns' clock moved past them (the demo's jump past the notice period).
    const later = scheduleCalendar(file, T0 + 30 * DAY);
    expect(later.next('review-clock', DAY).toISOString()).toBe('2025-04-01T00:00:00.000Z');
  });
});
