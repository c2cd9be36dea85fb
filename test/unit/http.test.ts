import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpHandler, json, STATUS_BY_KIND } from '../../functions/lib/http.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { StoreBusyError } from '../../functions/rules/errors.js';
import { parseForm } from '../../functions/rules/forms/index.js';
import { assertQuotaAvailable } from '../../functions/rules/quota.js';
import { TODAY } from '../fixtures/forms.js';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

const event = (body?: string, contentType = 'application/json'): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /api/test',
    rawPath: '/api/test',
    rawQueryString: '',
    headers: { 'content-type': contentType },
    requestContext: { http: { method: 'POST', path: '/api/test' }, requestId: 'r1' },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  }) as unknown as APIGatewayProxyEventV2;

const call = async (handler: ReturnType<typeof httpHandler>, e: APIGatewayProxyEventV2) => {
  const result = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode,
    body: JSON.parse(result.body ?? 'null') as Record<string, Record<string, unknown>>,
  };
};

describe('the HTTP edge: one table from domain errors to statuses', () => {
  it('maps each kind of domain error to one status', () => {
    expect(STATUS_BY_KIND).toEqual({
      invalid: 400,
      unauthenticated: 401,
      forbidden: 403,
      'not-found': 404,
      conflict: 409,
      rule: 422,
      'too-many': 429,
      gone: 410,
    });
  });

  it('answers a broken rule with 422, its code, the field and both languages', async () => {
    const cast = builtinCampaign('cast-2024');
    const handler = httpHandler(async () => {
      assertQuotaAvailable(cast, 'national-society', 'site', [
        { category: 'site', status: 'submitted' },
        { category: 'site', status: 'submitted' },
      ]);
      return json(200, {});
    });
    const { status, body } = await call(handler, event());
    expect(status).toBe(422);
    expect(body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      path: ['category'],
      message: { zh: expect.stringContaining('推荐名额已满') },
    });
  });

  it('answers a bad form with 400 and every field issue', async () => {
    const handler = httpHandler<unknown>(
      async (e) => {
        parseForm('volunteer', e.body, TODAY);
        return json(200, {});
      },
      { body: 'json' },
    );
    const { status, body } = await call(handler, event(JSON.stringify({ name: '李梅' })));
    expect(status).toBe(400);
    expect(body.error?.code).toBe('VALIDATION_FAILED');
    const details = body.error?.details as { issues: { path: string[] }[] } | undefined;
    const issues = details?.issues ?? [];
    expect(issues.map((i) => i.path[0])).toContain('gender');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and a non-JSON body with 415', async () => {
    const handler = httpHandler<unknown>(async () => json(200, { ok: true }), { body: 'json' });
    expect(await call(handler, event('{"name":'))).toMatchObject({
      status: 400,
      body: { error: { code: 'MALFORMED_JSON' } },
    });
    expect(await call(handler, event('name=x', 'application/x-www-form-urlencoded'))).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await call(handler, event('{"name":"x"}'))).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('hides the detail of an unexpected error behind a 500', async () => {
    const handler = httpHandler(async () => {
      throw new Error('connection string postgres://secret@db');
    });
    const { status, body } = await call(handler, event());
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(body.error).toMatchObject({
      code: 'INTERNAL',
      message: { en: 'Internal error; please try again later' },
    });
  });

  it('answers a transient "busy" with 503, Retry-After and both languages, never as an internal error', async () => {
    const handler = httpHandler(async () => {
      throw new StoreBusyError('n-1: the return-notice is being sent by another run', {
        retryAfterSeconds: 5,
      });
    });
    const result = (await handler(event(), context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('5');
    const body = JSON.parse(result.body ?? 'null') as {
      error: { code: string; message: { zh: string; en: string } };
    };
    expect(body.error.code).toBe('BUSY');
    expect(body.error.message.zh).toContain('5 秒');
    expect(body.error.message.en).toContain('5 seconds');
    // What the store was doing is the operators' business, not the caller's.
    expect(JSON.stringify(body)).not.toContain('n-1');
  });

  it('answers an AWS service that still throttles or fails after the SDK gave up as busy, by name as the SDK classifies it', async () => {
    const { ProvisionedThroughputExceededException, TransactionConflictException } = await import(
      '@aws-sdk/client-dynamodb'
    );
    const { SFNServiceException } = await import('@aws-sdk/client-sfn');
    const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
    const transient = [
      // Modelled without a $retryable trait: recognised by name, as the SDK's retry strategy does.
      new ProvisionedThroughputExceededException({ message: 'Rate exceeded', ...meta(400) }),
      new TransactionConflictException({ message: 'Transaction is ongoing for the item', ...meta(400) }),
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', ...meta(400) }),
      Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', ...meta(503) }),
      new SFNServiceException({ name: 'InternalFailure', $fault: 'server', message: 'boom', ...meta(500) }),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      // A mailer's failure wraps the relay's: SES throttling behind Laurel.MailFailed.
      Object.assign(new Error('The mail could not be sent'), {
        name: 'Laurel.MailFailed',
        cause: Object.assign(new Error('Maximum sending rate exceeded.'), {
          name: 'TooManyRequestsException',
          ...meta(429),
        }),
      }),
    ];
    for (const error of transient) {
      const handler = httpHandler(async () => {
        throw error;
      });
      const result = (await handler(event(), context)) as APIGatewayProxyStructuredResultV2;
      expect(result.statusCode, error.name).toBe(503);
      // Not BUSY: part of the request may be done, so clients do not resend it by themselves.
      expect(JSON.parse(result.body ?? '{}').error.code, error.name).toBe('SERVICE_UNAVAILABLE');
      expect(Number(result.headers?.['retry-after']), error.name).toBeGreaterThan(0);
      expect(result.body).not.toContain(error.message);
    }
    // A bug is not transient: still the 500 that hides it.
    const bug = httpHandler(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'status')");
    });
    expect(((await bug(event(), context)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(500);
  });
});
