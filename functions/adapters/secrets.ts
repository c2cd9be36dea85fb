import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Secrets } from '../ports/system.js';

/** 32 random bytes (256 bits) as base64url; stored only as SHA-256 hex. */
export const cryptoSecrets: Secrets = {
  token: () => randomBytes(32).toString('base64url'),
  hash: (token) => createHash('sha256').update(token, 'utf8').digest('hex'),
};

/** The clock every use case reads: real time, shifted by the configured offset (0 in AWS). */
export const clockWithOffset = (offsetMs: number): Clock => ({ now: () => new Date(Date.now() + offsetMs) });
