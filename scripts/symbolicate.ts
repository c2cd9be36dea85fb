import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Names the sources of a stack trace from a function's logs. The functions run without
 * `--enable-source-maps` (infra/bundling.ts LAMBDA_NODE_OPTIONS: it cost a fifth of a cold
 * import), so their traces point into the minified bundle, `index.mjs:15:44497`; the source map
 * deployed beside it (index.mjs.map, in the function's package and in cdk.out) maps each frame back.
 *
 *   npx tsx scripts/symbolicate.ts path/to/index.mjs.map < trace.txt
 */

/** A frame's position in the bundle: `index.mjs:line:column`, in parentheses or not. */
const FRAME = /(\S*index\.m?js):(\d+):(\d+)/g;

/** The trace with every bundle position followed by its source: `[functions/rules/x.ts:12:5 name]`. */
export function symbolicate(trace: string, payload: SourceMapPayload): string {
  const map = new SourceMap(payload);
  return trace.replace(FRAME, (frame, _file: string, line: string, column: string) => {
    const origin = map.findOrigin(Number(line), Number(column));
    if (!('fileName' in origin)) return frame;
    const source = origin.fileName.replace(/^(\.\.\/)+/, '');
    const name = origin.name ? ` ${origin.name}` : '';
    return `${frame} [${source}:${origin.lineNumber}:${origin.columnNumber}${name}]`;
  });
}

async function main(): Promise<void> {
  const mapFile = process.argv[2];
  if (!mapFile) throw new Error('usage: tsx scripts/symbolicate.ts index.mjs.map < trace.txt');
  const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
  const trace = readFileSync(0, 'utf8');
  process.stdout.write(symbolicate(trace, payload));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
