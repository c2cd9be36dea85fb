import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ORIGIN_PROOF_HEADER, tablePaths, VIEWER_ADDRESS_HEADER } from '../../functions/lib/api.js';
import { FALLBACK_FUNCTION, type FunctionSpec } from '../../functions/routes.js';
import { localSecurityHeaders } from '../security-headers.js';
import { LambdaInvokeError, type LocalLambdas } from './lambda.js';

/**
 * API Gateway (HTTP API, payload format 2.0), locally: turns each request into the same event
 * AWS would deliver, invokes the route's handler, and writes its answer back. Everything that
 * is not an API route is served from the built web UI.
 */

/** API Gateway's own limit on a request payload. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** HTTP API's integration timeout: the most it waits for a Lambda before answering 503. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

const answerJson = (res: ServerResponse, status: number, body: unknown) => {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

class IntegrationTimeout extends Error {}

/** Waits for the integration at most `ms`; the function runs on (its own timeout ends it). */
async function withinIntegrationTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  parameterNames: string[];
  routeKey: string;
  spec: FunctionSpec;
}

/**
 * The routes API Gateway would have: every route of the table, then the fallback function's `ANY`
 * route on every path of the table (API Gateway prefers a route's own method to `ANY`, so these
 * come last here).
 */
export function compileRoutes(specs: readonly FunctionSpec[]): Route[] {
  const fallback = specs.find((spec) => spec.name === FALLBACK_FUNCTION);
  const keys = specs.flatMap((spec) => spec.routes.map(({ route }) => ({ routeKey: route as string, spec })));
  const anyRoutes = fallback
    ? tablePaths(specs).map((path) => ({ routeKey: `ANY ${path}`, spec: fallback }))
    : [];
  return [...keys, ...anyRoutes].map(({ routeKey, spec }) => {
    const [method = 'GET', path = '/'] = routeKey.split(' ');
    const parameterNames: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\+?\}$/.exec(segment);
        if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        parameterNames.push(param[1]);
        return segment.endsWith('+}') ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { method, pattern: new RegExp(`^${source}$`), parameterNames, routeKey, spec };
  });
}

/** A path segment percent-decoded; one that is not valid percent-encoding is passed as it came. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const pathParameters = Object.fromEntries(
      route.parameterNames.map((name, i) => [name, decodedSegment(m[i + 1] ?? '')]),
    );
    return { route, pathParameters };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXTUAL = /^(application\/(json|x-www-form-urlencoded|xml|.*\+json)|text\/)/;

/**
 * What CloudFront adds to a request it forwards to the API: the viewer's address it saw connect and
 * the origin proof. Undefined for a request to the API's own (execute-api) endpoint, which reaches
 * the function with the client's headers as they are.
 */
export interface EdgeHeaders {
  originProof: string;
}

export function toEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
  edge?: EdgeHeaders,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const setByEdge = new Set(edge ? [VIEWER_ADDRESS_HEADER, ORIGIN_PROOF_HEADER] : []);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie' && !setByEdge.has(name))
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  if (edge) {
    // This gateway stands where CloudFront does: the viewer's address is the one it saw connect,
    // as CloudFront sets CloudFront-Viewer-Address itself, and it adds the origin proof as the
    // /api/* origin's custom header; a client's own headers of those names are dropped.
    headers[VIEWER_ADDRESS_HEADER] =
      `${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0}`;
    headers[ORIGIN_PROOF_HEADER] = edge.originProof;
  }
  const cookies = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  const binary = body.length > 0 && !TEXTUAL.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : body.toString('utf8') } : {}),
    isBase64Encoded: binary,
  };
}

function writeResult(res: ServerResponse, result: unknown): void {
  // Payload format 2.0: a bare value means 200 with that value as JSON.
  const structured =
    result !== null && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  const headers: Record<string, string | string[]> = { ...(structured.headers as Record<string, string>) };
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  res.writeHead(structured.statusCode ?? 200, headers);
  const body = structured.body ?? '';
  res.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

const notFound = (res: ServerResponse) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: 'Not Found' }));
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The file a path names in one of the folders, a folder's index.html included unless `index` is false. */
function findFile(dirs: readonly string[], path: string, options = { index: true }): string | undefined {
  for (const dir of dirs) {
    const file = normalize(join(dir, decodedSegment(path)));
    if (!file.startsWith(dir) || !existsSync(file)) continue;
    if (statSync(file).isFile()) return file;
    if (!options.index) continue;
    const index = join(file, 'index.html');
    if (existsSync(index)) return index;
  }
  return undefined;
}

function serveStatic(
  res: ServerResponse,
  webDirs: readonly string[],
  path: string,
  fallbackHtml: string,
): void {
  // A path naming a file (`/signin/index.html`, `/assets/…js`) is served only if that file
  // exists, as S3 serves a key to CloudFront: no index documents, no fallback. So a mailed link
  // (functions/rules/links.ts) that works here works from the bucket too, in either home.
  if (extname(path)) {
    const file = findFile(webDirs, path, { index: false });
    if (file) {
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    } else notFound(res);
    return;
  }
  // Other paths are the single-page app's, as the global stack's CloudFront Function serves
  // them: index.html, and the client routes them.
  const file = findFile(webDirs, path) ?? findFile(webDirs, '/index.html');
  res.writeHead(200, {
    'content-type': (file && CONTENT_TYPES[extname(file)]) ?? 'text/html; charset=utf-8',
  });
  res.end(file ? readFileSync(file) : fallbackHtml);
}

export async function startApiGateway(options: {
  lambdas: LocalLambdas;
  port?: number;
  host?: string;
  /** Folders of the web UI, searched in order (the built app, then its static files). */
  webDirs: readonly string[];
  fallbackHtml: string;
  /**
   * The web bucket's object under `key`, as CloudFront reads it from the bucket for a path under
   * /published/ (the public lists the functions publish); undefined when there is none.
   */
  webObject?: (
    key: string,
  ) => Promise<{ body: Uint8Array; contentType: string; cacheControl?: string } | undefined>;
  /** Default INTEGRATION_TIMEOUT_MS, as in AWS; `npm run bench` raises it to measure (and reports). */
  integrationTimeoutMs?: number;
  /** The local S3's origin: the pages post uploads there and show thumbnails from it. */
  uploadsOrigin: string;
  /** What CloudFront adds to each API request as the /api/* origin's custom header (the stack's secret). */
  originProof: string;
}): Promise<{ url: string; executeApiUrl: string; server: Server; stop(): Promise<void> }> {
  const routes = compileRoutes(options.lambdas.specs);
  const securityHeaders = localSecurityHeaders(options.uploadsOrigin);
  const edge: EdgeHeaders = { originProof: options.originProof };
  /**
   * One listener is the site, where CloudFront stands (pages, files, the API with what CloudFront
   * adds); the other is the HTTP API's own execute-api endpoint, which serves the API routes alone
   * and passes a client's headers on as they are, as API Gateway does.
   */
  const serve = (site: boolean) => async (req: IncomingMessage, res: ServerResponse) => {
    // Every answer of the site — page, file, API, error — carries them, as CloudFront's policy adds them.
    if (site) for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const method = req.method ?? 'GET';
      const match = matchRoute(routes, method === 'HEAD' ? 'GET' : method, url.pathname);
      if (site && !match && url.pathname.startsWith('/published/') && method === 'GET' && options.webObject) {
        // As CloudFront with origin access control: the key exactly; a missing one is 403.
        const object = await options.webObject(decodedSegment(url.pathname.slice(1)));
        if (!object) {
          res.writeHead(403, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
          );
          return;
        }
        res.writeHead(200, {
          'content-type': object.contentType,
          ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
        });
        res.end(object.body);
        return;
      }
      if (site && !match && !url.pathname.startsWith('/api/') && method === 'GET')
        return serveStatic(res, options.webDirs, url.pathname, options.fallbackHtml);
      // API Gateway's `$default` route: the fallback function answers 404 in the error envelope.
      const fallback = options.lambdas.specs.find((spec) => spec.name === FALLBACK_FUNCTION);
      if (!match && !fallback) return notFound(res);
      const routeKey = match?.route.routeKey ?? '$default';
      const target = match?.route.spec ?? (fallback as FunctionSpec);
      const body = await readBody(req);
      if (body === 'too-large') return answerJson(res, 413, { message: 'Request Entity Too Large' });
      const event = toEvent(req, url, body, routeKey, match?.pathParameters ?? {}, site ? edge : undefined);
      writeResult(
        res,
        await withinIntegrationTimeout(
          options.lambdas.invoke(target.name, event),
          options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
        ),
      );
    } catch (error) {
      // What API Gateway answers when the integration fails: it waited too long (503), Lambda
      // refused the event as too large (413), or the function failed — an unhandled error, its
      // timeout, a result over 6 MB (500). Never the function's own error text.
      if (error instanceof IntegrationTimeout)
        return answerJson(res, 503, { message: 'Service Unavailable' });
      console.error(
        `local API gateway: ${req.method} ${url.pathname}:`,
        (error as Error).name,
        (error as Error).message.slice(0, 500),
      );
      if (error instanceof LambdaInvokeError && error.status === 413)
        return answerJson(res, 413, { message: 'Request Entity Too Large' });
      answerJson(res, 500, { message: 'Internal Server Error' });
    }
  };
  const host = options.host ?? '127.0.0.1';
  const listen = async (server: Server, port: number) => {
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
  };
  const close = (server: Server) =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  const server = createServer(serve(true));
  const executeApi = createServer(serve(false));
  const url = await listen(server, options.port ?? 0);
  const executeApiUrl = await listen(executeApi, 0).catch(async (error: unknown) => {
    await close(server);
    throw error;
  });
  return {
    url,
    executeApiUrl,
    server,
    stop: async () => {
      await Promise.all([close(server), close(executeApi)]);
    },
  };
}
