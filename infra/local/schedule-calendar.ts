import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The scaled calendar of the local cloud's schedules: the instant each firing stands for — the
 * `time` of EventBridge's event, one period after the one before. The last instant fired is kept
 * in the data folder, so a cloud started again on the same data goes on from it (a function that
 * counts days by it — the review clock — counts on) rather than from the campaigns' clock at the
 * new start, which is behind the scaled days already fired: EventBridge's days never run back.
 */
export function scheduleCalendar(file: string, start: number) {
  const fired = readFired(file);
  return {
    /** The instant of the next firing of `name`, every `everyMs`; remembered once returned. */
    next(name: string, everyMs: number): Date {
      const at = Math.max(start, fired[name] ?? Number.NEGATIVE_INFINITY) + everyMs;
      fired[name] = at;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(fired));
      return new Date(at);
    },
  };
}

function readFired(file: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}
