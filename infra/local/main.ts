// `npm start`: the whole system on this machine. PORT (default 3000, 0 = any free port),
// LAUREL_DATA_DIR (default .laurel/), LAUREL_TIME_SCALE (default 1).
import { resolve } from 'node:path';
import { formatChinaTime } from '../../functions/rules/calendar.js';
import { startLocalCloud } from './cloud.js';
import { watchHeap } from './heap-watch.js';

// The AWS SDK warns on every start that its 2027 releases will need Node 22; Laurel pins its SDK
// version, so the warning says nothing to a person starting Laurel. Every other warning shows.
process.removeAllListeners('warning');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.on('warning', (warning) => {
  const sdkNodeNotice =
    warning.name === 'NodeVersionSupportWarning' || warning.message.includes('NodeVersionSupportWarning');
  if (!sdkNodeNotice) console.warn(`${warning.name}: ${warning.message}`);
});

// Says so when what the heap holds nears its limit (Node's --max-old-space-size), before Node stops.
watchHeap();

const started = performance.now();
const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.LAUREL_DATA_DIR ?? '.laurel');
const timeScale = Number(process.env.LAUREL_TIME_SCALE ?? 1);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`PORT must be a port number, not ${process.env.PORT}`);
if (!(timeScale > 0))
  throw new Error(`LAUREL_TIME_SCALE must be a positive number, not ${process.env.LAUREL_TIME_SCALE}`);

const cloud = await startLocalCloud({
  dataDir,
  port,
  timeScale,
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  ...(process.env.LAUREL_CLOCK ? { clockStart: process.env.LAUREL_CLOCK } : {}),
  ...(process.env.LAUREL_FAULT_RATE
    ? {
        faultRate: Number(process.env.LAUREL_FAULT_RATE),
        faultSeed: Number(process.env.LAUREL_FAULT_SEED ?? 1),
      }
    : {}),
  ...(process.env.LAUREL_DYNAMODB_FAULT_RATE
    ? {
        dynamoFaultRate: Number(process.env.LAUREL_DYNAMODB_FAULT_RATE),
        faultSeed: Number(process.env.LAUREL_FAULT_SEED ?? 1),
      }
    : {}),
});
const campaignNow = new Date(Date.now() + Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Laurel is running locally (ready in ${seconds} s, data in ${dataDir}${timeScale !== 1 ? `, time ×${timeScale}` : ''})

  clock      ${formatChinaTime(campaignNow)} (the campaigns' time; LAUREL_CLOCK=now for real time)
  web        ${cloud.urls.web}
  API        ${cloud.urls.api}   (health: ${cloud.urls.health})
  mail       ${cloud.urls.mail}   (what arrived, raw source included)
  SMTP       ${cloud.urls.smtp}   (mail is sent here: LAUREL_MAIL_TRANSPORT=${process.env.LAUREL_MAIL_TRANSPORT})
  AWS endpoints for the SDK or the AWS CLI (credentials local/local, region cn-north-1):
    DynamoDB       ${cloud.urls.dynamodb}
    S3             ${cloud.urls.s3}
    Step Functions ${cloud.urls.stepfunctions}

Sign-in links: secretariat of each campaign, and operations (valid until ${cloud.signInLinks[0]?.expiresAt.slice(0, 10) ?? '—'}):
${cloud.signInLinks.map((l) => `  ${l.campaignName}\n    ${l.url}`).join('\n')}
Each link signs in once. Opened again, its page offers to mail a fresh link: it arrives in the mail
page above. Every start prints new links too.

Press Ctrl-C to stop; the data stays in ${dataDir} for the next start.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await cloud.stop();
    process.exit(0);
  });
}
