import { describe, expect, it } from 'vitest';
import {
  isWellFormedToken,
  newTaskToken,
  TASK_TOKEN_MAX_LENGTH,
} from '../../infra/local/stepfunctions/task-tokens.js';

/**
 * The local Step Functions' task tokens are as long as AWS's may be (its API takes 1–2048
 * characters): a shorter one would make whatever stores a token cost less locally than in AWS.
 */
describe('a local task token', () => {
  it('is as long as the longest AWS documents, and new each time', () => {
    const token = newTaskToken();
    expect(TASK_TOKEN_MAX_LENGTH).toBe(2048);
    expect(token).toHaveLength(TASK_TOKEN_MAX_LENGTH);
    expect(isWellFormedToken(token)).toBe(true);
    expect(newTaskToken()).not.toBe(token);
  });

  it('is refused past the longest AWS takes, or empty, or with characters no token has', () => {
    expect(isWellFormedToken('a'.repeat(TASK_TOKEN_MAX_LENGTH + 1))).toBe(false);
    expect(isWellFormedToken('')).toBe(false);
    expect(isWellFormedToken('not a token!')).toBe(false);
  });
});
