import type { CalendarDate } from '../calendar.js';
import type { FieldIssue } from '../errors.js';

/** What cross-field checks need besides the form: today's date in China, passed in (no clock in the domain). */
export interface FormContext {
  today: CalendarDate;
}

/** Who or what a nomination is about, as matched against the list of past honourees. */
export interface Subject {
  name: string;
  organization: string;
}

export function futureDate(path: string[], zh: string, en: string): FieldIssue {
  return {
    path,
    code: 'future_date',
    message: { zh: `${zh}不能晚于今天`, en: `${en} cannot be in the future` },
  };
}
