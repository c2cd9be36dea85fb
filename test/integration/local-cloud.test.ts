import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` exactly as a person runs it: the whole local cloud comes up, /api/health
 * answers 200 with every component up, Ctrl-C stops everything, and the next start finds
 * the data again.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'laurel-start-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group has already exited.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function npmStart(): Promise<{ child: ChildProcess; web: string; output: () => string }> {
  // Its own process group, so Ctrl-C (SIGINT) reaches npm and everything under it, as in a terminal.
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    // The test tier built web/dist once before any file ran (test/support/build-web.ts); prestart
    // rebuilding it here would rewrite the files other test files' clouds are serving.
    env: {
      ...process.env,
      PORT: '0',
      LAUREL_DATA_DIR: dataDir,
      LAUREL_TIME_SCALE: '1',
      LAUREL_WEB_BUILT: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const web = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not come up in 60 s:\n${output}`)),
      60_000,
    );
    const look = () => {
      const match = /web\s+(http:\/\/\S+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, web, output: () => output };
}

/** Ctrl-C, then whether everything it started has gone: npm itself, and DynamoDB Local's Java. */
async function interrupt(child: ChildProcess): Promise<{ javaLeft: boolean }> {
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  if (child.pid) process.kill(-child.pid, 'SIGINT');
  await exited;
  const javaLeft = execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .some((line) => line.includes(dataDir));
  return { javaLeft };
}

describe('npm start', () => {
  it('comes up, reports every component healthy, stops on Ctrl-C and keeps the data', async () => {
    const first = await npmStart();
    const health = await fetch(`${first.web}/api/health`);
    const body = (await health.json()) as { status: string; components: Record<string, { status: string }> };
    expect(health.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.fromEntries(Object.entries(body.components).map(([k, v]) => [k, v.status]))).toEqual({
      dynamodb: 'up',
      s3: 'up',
      stepfunctions: 'up',
      mail: 'up',
    });
    expect(first.output()).toMatch(/ready in \d+\.\d s/);
    // A second start on the folder in use is refused, naming it, and the first keeps its database.
    await expect(npmStart()).rejects.toThrow(/already runs with its data in/);
    expect((await fetch(`${first.web}/api/health`)).status).toBe(200);
    expect(first.output()).toMatch(/mail\s+http:\/\//);
    // What no route serves, answered as API Gateway's $default and ANY routes do in AWS.
    const unknown = await fetch(`${first.web}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const patch = await fetch(`${first.web}/api/nominations/n-0000000000abc`, { method: 'PATCH' });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET');
    expect(
      ((await patch.json()) as { error: { code: string; message: { zh: string; en: string } } }).error,
    ).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      message: { en: 'PATCH is not allowed here; use GET' },
    });
    const openapi = (await (await fetch(`${first.web}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/api/nominations/{id}/submit');

    // The printed secretariat link signs in; the page it opens changes nothing by itself.
    const link = /(http:\/\/\S+\/signin\/index\.html)#(\S+)/.exec(first.output());
    expect(link, first.output()).not.toBeNull();
    const [, page = '', token = ''] = link ?? [];
    // The link opens the web app (built by npm start's prestart, here by the test tier's setup); signing in takes a button
    // press there (test/e2e), so opening the page alone changes nothing.
    const html = await (await fetch(page)).text();
    expect(html).toContain('<div id="app"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    expect((await fetch(`${first.web}${script}`)).status).toBe(200);
    const signIn = await fetch(`${first.web}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^laurel_session=/);
    const me = await fetch(`${first.web}/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ actor: { role: 'secretariat', campaignId: 'cast-2024' } });
    // Something to find after the restart: an expert invited, and a second session kept.
    const invitedExpert = await fetch(`${first.web}/api/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        role: 'expert',
        subjectId: 'expert-restart',
        name: '重启专家',
        email: 'restart@review.cn',
      }),
    });
    expect(invitedExpert.status, await invitedExpert.clone().text()).toBe(201);
    // The printed link signs in once: opened again it is refused, and asks for a fresh link, which
    // the mail page receives (what the start's printout tells the developer to do).
    const reused = await fetch(`${first.web}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(reused.status).toBe(403);
    expect(await reused.json()).toMatchObject({ error: { code: 'LINK_USED' } });
    expect(first.output()).toContain('signs in once');
    const asked = await fetch(`${first.web}/api/invitations/fresh-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(asked.status).toBe(202);
    const mailUrl = /mail\s+(http:\/\/\S+\/)/.exec(first.output())?.[1] ?? '';
    const outbox = (await (await fetch(`${mailUrl}api/messages`)).json()) as {
      messages: { to: string[]; text: string }[];
    };
    const freshMail = outbox.messages.filter((m) => m.to.includes('secretariat@cast-2024.localhost')).at(-1);
    const freshToken = /\/signin\/index\.html#(\S+)/.exec(freshMail?.text ?? '')?.[1] ?? '';
    expect(freshToken).not.toBe('');
    const kept = await fetch(`${first.web}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: freshToken }),
    });
    expect(kept.status).toBe(201);
    const keptCookie = kept.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect((await fetch(`${first.web}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(
      204,
    );
    expect((await fetch(`${first.web}/api/session`, { headers: { cookie } })).status).toBe(401);
    expect(await interrupt(first.child)).toEqual({ javaLeft: false });
    expect(first.output()).toContain('Stopping…');

    // A second start on the same data folder: DynamoDB Local reopens its files, no duplicate resources.
    const second = await npmStart();
    expect((await fetch(`${second.web}/api/health`)).status).toBe(200);
    // …and the data is read back: the kept session still signs in, the invited expert is in the pool.
    const again = await fetch(`${second.web}/api/session`, { headers: { cookie: keptCookie } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ actor: { role: 'secretariat', campaignId: 'cast-2024' } });
    const panel = await fetch(`${second.web}/api/campaigns/cast-2024/experts`, {
      headers: { cookie: keptCookie },
    });
    expect(panel.status).toBe(200);
    expect(JSON.stringify(await panel.json())).toContain('expert-restart');
    // The session ended before the restart stays ended.
    expect((await fetch(`${second.web}/api/session`, { headers: { cookie } })).status).toBe(401);
    expect(await interrupt(second.child)).toEqual({ javaLeft: false });
  }, 150_000);
});
