import type { DomainError } from '../../functions/rules/errors.js';

/** The domain error a promise is refused with; fails the test when it is not refused. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}
