import { createHash, randomBytes } from 'node:crypto';
import type { Secrets } from '../domain/ports.js';

/** 32 random bytes (256 bits) as base64url; stored only as SHA-256 hex. */
export const cryptoSecrets: Secrets = {
  token: () => randomBytes(32).toString('base64url'),
  hash: (token) => createHash('sha256').update(token, 'utf8').digest('hex'),
};

export const systemClock = { now: () => new Date() };
