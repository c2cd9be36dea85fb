import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * What a cold start pays at import (the cost issue: a function's import ≤ 3 × a bare `node`): a
 * module of the rules or the route table, which every function bundles, builds no traditional →
 * simplified converter while it is imported. Its dictionaries cost tens of milliseconds, and only
 * a request that compares names needs them: they are built on first use.
 */
const built = vi.hoisted(() => ({ converters: 0, smtpClients: 0 }));
vi.mock('opencc-js/core', async (importOriginal) => {
  const original = await importOriginal<typeof import('opencc-js/core')>();
  return {
    ...original,
    ConverterFactory: (...args: Parameters<typeof original.ConverterFactory>) => {
      built.converters += 1;
      return original.ConverterFactory(...args);
    },
  };
});

/** Counts the loads of nodemailer's mailer, the SMTP transport's entry (functions/adapters/smtp-mailer.ts). */
vi.mock('nodemailer/lib/mailer', async (importOriginal) => {
  built.smtpClients += 1;
  return importOriginal();
});

const RULES = join(import.meta.dirname, '../../functions/rules');

describe('importing the rules and the route table', () => {
  it('builds no name converter until a name is compared', async () => {
    await import('../../functions/routes.js');
    for (const file of readdirSync(RULES, { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) await import(join(RULES, file));
    }
    expect(built.converters).toBe(0);
    const { normaliseName } = await import('../../functions/rules/text.js');
    expect(normaliseName('張三')).toBe('张三');
    expect(built.converters).toBe(1);
  }, 60_000); // the first import of every rule transforms each one: seconds on a busy machine
});

describe('importing the SMTP mail transport', () => {
  it('loads nodemailer on the first mail, not with the function that may send one', async () => {
    const { smtpMailer } = await import('../../functions/adapters/smtp-mailer.js');
    expect(built.smtpClients).toBe(0);
    // Nothing listens on port 1: the send fails, after nodemailer was loaded to try it.
    const send = smtpMailer(
      async () => ({ host: '127.0.0.1', port: 1, secure: false, insecure: true }),
      'noreply@laurel.example.org',
    );
    await expect(send({ to: 'expert@example.org', subject: 'subject', text: 'text' })).rejects.toThrow();
    expect(built.smtpClients).toBe(1);
  }, 60_000);
});
