import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { volunteer } from '../fixtures/forms.js';
import type { ApiClient } from '../support/api-client.js';
import { storedDataDigest } from '../support/fingerprint.js';
import { untilIdle } from '../support/idle.js';
import { baseOf, inviteAndSignIn, opsLink, secretariatOf, signedIn } from '../support/people.js';
import {
  type Mutation,
  mutationOf,
  resolver,
  type Schema,
  shapedValue,
} from '../support/schema-arbitrary.js';

/**
 * A schema-driven fuzz of every operation of the served OpenAPI document, against the whole local
 * cloud. Each request is built by fast-check from the operation's request-body schema (the route
 * table's zod schema), either of the schema's shape or mutated so the schema refuses it (a wrong
 * type, a huge string, an invisible character, a missing or an unknown field, no object at all),
 * with path ids and query values of the right shape or hostile ones, sent by the role the route
 * admits or by someone else. Every answer is below 500; every refusal is the error envelope; and
 * a batch whose requests were all refused leaves the stored data exactly as it was.
 *
 * The run is seeded (FUZZ_SEED, printed) so a failure replays; FUZZ_BATCHES × BATCH requests.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const BATCH = 50;
const BATCHES = Number(process.env.FUZZ_BATCHES ?? 104);
/** Requests in flight at once: enough to overlap the handlers' waits on a 2-core machine. */
const CONCURRENCY = 8;

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-fuzz-'));
let cloud: LocalCloud;
let documents: DynamoDBDocumentClient;
let openapi: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const clients: Partial<Record<Who, ApiClient>> = {};
let draftId = '';

type Who = 'unit' | 'secretariat' | 'ops' | 'anonymous';

interface Operation {
  operationId: string;
  'x-laurel-access': 'public' | { roles: string[] };
  parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}

interface FuzzRequest {
  operation: string;
  method: string;
  path: string;
  who: Who;
  /** 'shaped' — of the schema's shape; otherwise the mutation's kind. */
  kind: 'shaped' | Mutation['kind'] | 'hostile-path' | 'hostile-query';
  at: string;
  /** The JSON text sent, if any. */
  body?: string;
  headers: Record<string, string>;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'cn-north-1',
      endpoint: cloud.urls.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  clients.secretariat = await secretariatOf(cloud, 'cast-2024');
  clients.ops = await signedIn(cloud, await opsLink(cloud, 'cast-2024'));
  clients.unit = await inviteAndSignIn(cloud, clients.secretariat, {
    role: 'unit',
    subjectId: 'fuzz-unit',
    name: '模糊测试学会',
    email: 'unit@fuzz.cn',
    unitType: 'national-society',
  });
  const created = await clients.unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
    category: 'volunteer',
  });
  draftId = created.body.nomination.id;
  await clients.unit.call('PUT', `/api/nominations/${draftId}/form`, {
    version: 1,
    form: volunteer(),
    noClassifiedContent: true,
  });
  openapi = (await (await fetch(`${baseOf(cloud)}/api/openapi.json`)).json()) as typeof openapi;
}, 90_000);

afterAll(async () => {
  documents?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Ids of the right shape (mostly real ones) and hostile ones. */
const HOSTILE_IDS = [
  'x'.repeat(5_000),
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%00',
  '%E2%80%AE名',
  '%F0%9F%98%80',
  '%ED%A0%80', // a lone surrogate in UTF-8
  '%FF%FE',
  "1'%20OR%20'1'%3D'1",
  'null',
  '__proto__',
  'constructor',
  '%7B%7D',
  '-1',
];
const realIdFor = (name: string): string[] => {
  switch (name) {
    case 'id':
      return [draftId, draftId, 'nom-does-not-exist'];
    case 'campaignId':
      return ['cast-2024', 'cast-2024', 'cacs-2024', 'no-such-campaign'];
    default:
      return ['a1b2c3', 'job-1', 'does-not-exist'];
  }
};

function pathArb(template: string, parameters: NonNullable<Operation['parameters']>) {
  const names = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  if (names.length === 0) return fc.constant({ path: template, hostile: undefined as string | undefined });
  return fc
    .tuple(
      ...names.map((name) =>
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...realIdFor(name)).map((v) => ({ v, hostile: false })) },
          {
            weight: 1,
            arbitrary: fc
              .oneof(
                fc.constantFrom(...HOSTILE_IDS),
                fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
              )
              .map((v) => ({ v, hostile: true })),
          },
        ),
      ),
    )
    .map((values) => {
      let path = template;
      let hostile: string | undefined;
      values.forEach(({ v, hostile: isHostile }, i) => {
        path = path.replace(`{${names[i]}}`, v);
        if (isHostile) hostile = `{${names[i]}}`;
      });
      return { path, hostile };
    });
}

const HOSTILE_QUERY_VALUES = [
  '-1',
  '0',
  '1e9',
  'abc',
  '',
  '%00',
  'x'.repeat(3_000),
  '%E2%80%AE',
  '%ED%A0%80',
  '[]',
];

function queryArb(parameters: NonNullable<Operation['parameters']>, resolve: (s: Schema) => Schema) {
  const query = parameters.filter((p) => p.in === 'query');
  if (query.length === 0) return fc.constant({ search: '', hostile: undefined as string | undefined });
  return fc
    .tuple(
      ...query.map((p) =>
        fc.option(
          fc.oneof(
            {
              weight: 3,
              arbitrary: shapedValue(p.schema, resolve).map((v) => ({
                v: encodeURIComponent(String(v)),
                hostile: false,
              })),
            },
            {
              weight: 1,
              arbitrary: fc.constantFrom(...HOSTILE_QUERY_VALUES).map((v) => ({ v, hostile: true })),
            },
          ),
          { nil: undefined },
        ),
      ),
    )
    .map((values) => {
      const pairs: string[] = [];
      let hostile: string | undefined;
      values.forEach((value, i) => {
        if (!value) return;
        pairs.push(`${query[i]?.name}=${value.v}`);
        if (value.hostile) hostile = `?${query[i]?.name}`;
      });
      return { search: pairs.length > 0 ? `?${pairs.join('&')}` : '', hostile };
    });
}

/** Who sends it: mostly a role the route admits; sometimes no one, or a role it does not. */
function whoArb(operation: Operation): fc.Arbitrary<Who> {
  const access = operation['x-laurel-access'];
  const admitted: Who[] =
    access === 'public'
      ? ['anonymous']
      : (['unit', 'secretariat', 'ops'] as const).filter((r) => access.roles.includes(r));
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...admitted) },
    { weight: 1, arbitrary: fc.constantFrom<Who>('anonymous', 'unit', 'secretariat', 'ops') },
  );
}

function requestArb(): fc.Arbitrary<FuzzRequest> {
  const resolve = resolver(openapi);
  const perOperation = Object.entries(openapi.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content['application/json'].schema;
      const bodyArb: fc.Arbitrary<{ kind: FuzzRequest['kind']; at: string; body?: string }> = bodySchema
        ? shapedValue(bodySchema, resolve).chain((value) =>
            fc.oneof(
              {
                weight: 1,
                arbitrary: fc.constant({ kind: 'shaped' as const, at: '/', body: JSON.stringify(value) }),
              },
              {
                weight: 3,
                arbitrary: mutationOf(value, bodySchema, resolve).map((m) => ({
                  kind: m.kind,
                  at: m.at,
                  body: JSON.stringify(m.body),
                })),
              },
            ),
          )
        : // An operation without a body, sent one now and then: it is ignored or refused, never a 500.
          fc.option(fc.jsonValue({ maxDepth: 2 }), { freq: 4, nil: undefined }).map((value) => ({
            kind: 'shaped' as const,
            at: '/',
            ...(value === undefined ? {} : { body: JSON.stringify(value) }),
          }));
      return fc
        .record({
          path: pathArb(template, parameters),
          query: queryArb(parameters, resolve),
          who: whoArb(operation),
          body: bodyArb,
          reviewLink: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
        })
        .map(({ path, query, who, body, reviewLink }): FuzzRequest => {
          const upper = method.toUpperCase();
          const hostile = path.hostile ?? query.hostile;
          return {
            operation: `${upper} ${template}`,
            method: upper,
            path: `${path.path}${query.search}`,
            // Signing out would end the fuzz's own sessions: it is sent without one.
            who: upper === 'DELETE' && template === '/api/session' ? 'anonymous' : who,
            kind:
              hostile && body.kind === 'shaped'
                ? path.hostile
                  ? 'hostile-path'
                  : 'hostile-query'
                : body.kind,
            at: hostile && body.kind === 'shaped' ? hostile : body.at,
            // fetch sends no body with a GET (nor does a browser).
            ...(body.body === undefined || upper === 'GET' ? {} : { body: body.body }),
            headers: template.startsWith('/api/review') ? { 'x-laurel-review-link': reviewLink } : {},
          };
        });
    }),
  );
  return fc.oneof(...perOperation);
}

interface Answer {
  request: FuzzRequest;
  status: number;
  text: string;
}

async function send(request: FuzzRequest): Promise<Answer> {
  const cookie = request.who === 'anonymous' ? '' : (clients[request.who]?.sessionCookie ?? '');
  const response = await fetch(`${baseOf(cloud)}${request.path}`, {
    method: request.method,
    headers: {
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
      ...request.headers,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { request, status: response.status, text: await response.text() };
}

/** Sends every request, CONCURRENCY at a time, in order of start. */
async function sendAll(requests: readonly FuzzRequest[]): Promise<Answer[]> {
  const answers: Answer[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) answers[i] = await send(requests[i] as FuzzRequest);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return answers;
}

const describeRequest = (r: FuzzRequest) =>
  `${r.operation} as ${r.who}, ${r.kind} at ${r.at}: ${r.method} ${r.path.slice(0, 160)} ${r.body?.slice(0, 300) ?? ''}`;

/** A refusal's text is the error envelope: a code, a message in both languages, a path. */
function isEnvelope(text: string): boolean {
  try {
    const answer = JSON.parse(text) as {
      error?: { code?: unknown; message?: { zh?: unknown; en?: unknown }; path?: unknown };
    };
    return (
      Object.keys(answer).length === 1 &&
      typeof answer.error?.code === 'string' &&
      /^[A-Z_]+$/.test(answer.error.code) &&
      typeof answer.error.message?.zh === 'string' &&
      answer.error.message.zh.length > 0 &&
      typeof answer.error.message?.en === 'string' &&
      answer.error.message.en.length > 0 &&
      Array.isArray(answer.error.path)
    );
  } catch {
    return false;
  }
}

describe('schema-driven fuzz of every OpenAPI operation', () => {
  it(`answers ${BATCH * BATCHES} generated requests without a 5xx, refuses in the envelope and writes nothing when refusing`, async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const operations = Object.values(openapi.paths).flatMap((methods) => Object.keys(methods)).length;
    const sent = new Map<string, number>();
    const byKind = new Map<string, number>();
    const byStatus = new Map<number, number>();
    let requests = 0;
    let refusedAndChecked = 0;
    const mutatedAccepted: string[] = [];
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

    const run = await fc.check(
      fc.asyncProperty(fc.array(requestArb(), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        // Writes of the schema's shape may be accepted and change the store; they go second, so
        // the first part (every mutation, hostile id and read) is judged against an untouched store.
        const shapedWrite = (r: FuzzRequest) => r.kind === 'shaped' && r.method !== 'GET';
        for (const part of [batch.filter((r) => !shapedWrite(r)), batch.filter(shapedWrite)]) {
          // An accepted request of an earlier batch may have started a campaign job (a package
          // being built, a step moving nominations): its own progress writes would otherwise be
          // blamed on the refused requests of this part.
          await untilIdle(cloud);
          const before = await storedDataDigest(documents);
          const answers = await sendAll(part);
          requests += answers.length;
          for (const { request, status, text } of answers) {
            count(sent, request.operation);
            count(byKind, request.kind);
            count(byStatus, status);
            expect(status, describeRequest(request)).toBeLessThan(500);
            if (status >= 400)
              expect(isEnvelope(text), `${describeRequest(request)} → ${status} ${text.slice(0, 300)}`).toBe(
                true,
              );
            if (status < 400 && request.kind !== 'shaped' && !request.kind.startsWith('hostile'))
              mutatedAccepted.push(`${describeRequest(request)} → ${status}`);
          }
          // Reads change nothing; when every write of the part was refused, the store is as it was.
          if (answers.every((a) => a.request.method === 'GET' || a.status >= 400)) {
            const after = await storedDataDigest(documents);
            expect(
              after,
              `a refused request changed the store:\n${part.map(describeRequest).join('\n')}`,
            ).toBe(before);
            refusedAndChecked += answers.filter((a) => a.status >= 400).length;
          }
        }
      }),
      { seed: SEED, numRuns: BATCHES, endOnFailure: true },
    );
    // The failing assertion names its request; fast-check's report would print the whole batch.
    if (run.failed) throw run.errorInstance;

    console.log(
      `fuzz: ${requests} requests over ${sent.size}/${operations} operations; statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)))}; kinds ${JSON.stringify(Object.fromEntries(byKind))}; ${refusedAndChecked} refusals in parts whose store was fingerprinted before and after`,
    );
    // A body its schema refuses is never accepted.
    expect(mutatedAccepted.slice(0, 20), mutatedAccepted.slice(0, 20).join('\n')).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(5_000);
    // Every operation of the document was reached.
    expect(sent.size).toBe(operations);
    // Most requests are refused ones whose batch was checked against the store.
    expect(refusedAndChecked).toBeGreaterThan(requests / 2);
  }, 600_000);
});
