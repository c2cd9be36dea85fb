// `npm run demo`: both rounds of the 2024 campaign, start to finish, through Laurel's HTTP API
// on a local cloud in a fresh data folder. PORT (default 0: any free port), LAUREL_DATA_DIR
// (default: a temporary folder, removed at the end; a folder you name must be empty and is kept).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatChinaTime } from '../functions/rules/calendar.js';
import { builtinCampaign } from '../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from '../functions/rules/categories.js';
import type { Bilingual } from '../functions/rules/i18n.js';
import { type RunningCloud, startCloud } from './demo/cloud.js';
import {
  CAST_EXPERTS,
  CAST_NOMINATIONS,
  CAST_UNITS,
  DISMISSED_OBJECTION,
  type ExpertPlan,
  type NominationPlan,
  SOCIETY_EXPERTS,
  SOCIETY_NOMINATIONS,
  SOCIETY_UNITS,
  type UnitPlan,
} from './demo/data.js';
import { Executions, untilJobsEnded } from './demo/executions.js';
import { zipEntryNames } from './demo/files.js';
import { mib, nameOf, roundLines, statusCounts } from './demo/report.js';
import { type CampaignId, type Person, type Refusal, Steps, type Tracked } from './demo/steps.js';
import { type Answer, again, codeOf, messageOf, unexpected } from './driver/client.js';

export interface DemoOptions {
  /** Data folder; default LAUREL_DATA_DIR, else a temporary folder removed at the end. */
  dataDir?: string;
  /** Port of the API; default PORT, else 0 (any free port). */
  port?: number;
  print?: (line: string) => void;
  /** Starts the local cloud (default: scripts/demo/cloud.ts); the crash-recovery test passes one that kills it. */
  startCloud?: typeof startCloud;
  /** How long each wait for executions may take (default DEFAULT_WAIT_MS, 120 s). */
  waitTimeoutMs?: number;
}

export interface DemoOutcome {
  released: number;
  categories: number;
  seconds: number;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const print = options.print ?? ((line: string) => console.log(line));
  const named = options.dataDir ?? process.env.LAUREL_DATA_DIR;
  const port = options.port ?? Number(process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${port}`);
  const dataDir = named ? resolve(named) : mkdtempSync(join(tmpdir(), 'laurel-demo-'));
  if (named && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(
      `LAUREL_DATA_DIR ${dataDir} is not empty: the demo runs both rounds from the start, on fresh data — name an empty or new folder`,
    );
  }
  const run = new DemoRun(dataDir, port, print, options.startCloud ?? startCloud, options.waitTimeoutMs);
  const cleanUp = async () => {
    await run.stop();
    if (!named) rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C: stop what was started and remove the temporary folder before leaving.
  const interrupted = (signal: NodeJS.Signals) => {
    print(`\n${signal}: stopping the local cloud…`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await run.all();
  } catch (error) {
    const logs = run.cloudLogs();
    if (error instanceof Error && logs) error.message += `\n── the local cloud's last lines ──\n${logs}`;
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

/** One run of the demo: the local cloud (started twice), the people, and what the summary will say. */
class DemoRun {
  private readonly started = performance.now();
  private running: { cloud: RunningCloud; steps: Steps; executions: Executions } | undefined;
  /** Every nomination followed, by id (a forwarded one also under its id in the CAST round). */
  private readonly tracked = new Map<string, Tracked>();
  private readonly unitPeople = new Map<string, Person>();
  private readonly refusals: Refusal[] = [];
  private readonly packages: { campaignId: string; nominations: number; bytes: number; entries: string[] }[] =
    [];
  private societyPackage: Promise<void> | undefined;
  private castIds: string[] = [];
  private castConflicts: string[] = [];
  private dismissal: { objectionId: string; on: Tracked } | undefined;
  private readonly summary: string[] = [];
  private readonly timings: string[] = [];

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly print: (line: string) => void,
    private readonly launch: typeof startCloud,
    private readonly waitTimeoutMs: number | undefined,
  ) {}

  private log(line: string): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1).padStart(5);
    this.print(`[${seconds} s] ${line}`);
  }

  private get steps(): Steps {
    if (!this.running) throw new Error('the local cloud is not running');
    return this.running.steps;
  }

  private get executions(): Executions {
    if (!this.running) throw new Error('the local cloud is not running');
    return this.running.executions;
  }

  private async start(clockStart?: string): Promise<void> {
    const t = performance.now();
    const cloud = await this.launch({
      dataDir: this.dataDir,
      port: this.port,
      ...(clockStart ? { clockStart } : {}),
    });
    const steps = new Steps(cloud, this.refusals);
    const operations = await steps.operations().catch(async (error: unknown) => {
      await cloud.stop();
      throw error;
    });
    this.running = { cloud, steps, executions: new Executions(operations, this.waitTimeoutMs) };
    this.log(
      `local cloud up in ${((performance.now() - t) / 1000).toFixed(1)} s at ${cloud.urls.web} — campaign clock ${formatChinaTime(cloud.now())}`,
    );
  }

  cloudLogs(): string {
    return this.running?.cloud.output() ?? '';
  }

  /** Stops the cloud once every campaign-wide job's execution has ended (see untilJobsEnded). */
  private async stopWhenJobsEnded(): Promise<void> {
    const cloud = this.running?.cloud;
    if (cloud)
      await again(cloud.connection, () => untilJobsEnded(cloud.urls.stepfunctions, this.waitTimeoutMs));
    await this.stop();
  }

  async stop(): Promise<void> {
    const cloud = this.running?.cloud;
    this.running = undefined;
    await cloud?.stop();
  }

  async all(): Promise<DemoOutcome> {
    this.print('Laurel demo · 演示：学会推荐轮 → 中国科协评选轮，全流程经由 HTTP API');
    this.print(`data in ${this.dataDir}`);
    await this.start();
    // Both rounds take submissions at the same time: CAST's units submit while the society screens and reviews.
    const castSubmissions = this.castSubmissions();
    castSubmissions.catch(() => undefined); // awaited below; a failure is reported there
    const forwarded = await this.societyRound();
    const closesAt = await this.castRoundUntilPublicity(await castSubmissions, forwarded);

    // Handlers read the campaign clock at their cold start: the publicity week passes by starting
    // Laurel again on the same data with the clock after the period, as `LAUREL_CLOCK=… npm start`.
    const later = new Date(Date.parse(closesAt) + 60 * 60_000).toISOString();
    this.log(
      `stopping Laurel: publicity runs ${builtinCampaign('cast-2024').publicity?.days} days, until ${formatChinaTime(new Date(closesAt))}; Laurel starts again on the same data an hour after that`,
    );
    await this.stopWhenJobsEnded();
    await this.start(later);
    const released = await this.castRelease();
    await this.stopWhenJobsEnded();

    const seconds = (performance.now() - this.started) / 1000;
    this.printSummary(seconds);
    this.print(`released: ${released.released} nominations in ${released.categories} categories`);
    return { ...released, seconds };
  }

  // ── Society round ───────────────────────────────────────────────────────────────────────────

  private async societyRound(): Promise<Tracked[]> {
    const t = performance.now();
    const campaignId: CampaignId = 'cacs-2024';
    const s = this.steps;
    const sec = await s.secretariat(campaignId);
    const submitted = await this.inviteAndSubmit(
      sec,
      campaignId,
      SOCIETY_UNITS,
      SOCIETY_EXPERTS,
      SOCIETY_NOMINATIONS,
    );
    await this.screenAll(sec, campaignId, submitted);
    const reviewed = submitted.filter((n) => n.plan.screening?.decision !== 'reject');
    const conflicts = await this.reviewRound(campaignId, reviewed, SOCIETY_EXPERTS);

    const ranking = await sec.must<{ outcomes: RankingOutcome[] }>(
      200,
      'GET',
      `/api/campaigns/${campaignId}/ranking`,
    );
    this.log(`${campaignId}: ranking previewed —`);
    for (const o of ranking.outcomes) {
      const n = this.tracked.get(o.nominationId);
      const name = n ? nameOf({ category: o.category, form: n.plan.form }) : o.nominationId;
      this.print(`           ${name} ${o.meanTotal.toFixed(2)} — ${o.message.zh}`);
    }
    const selection = await this.confirmSelection(sec, campaignId);
    const chosen = selection.outcomes.filter((o) => o.selected).map((o) => o.nominationId);
    this.log(
      `${campaignId}: selection confirmed, ${chosen.length} of ${selection.outcomes.length} within ≤ 2 per category`,
    );

    const ends = await this.executions.finish(submitted.map((n) => n.id));
    const forwarded = submitted.filter((n) => ends.get(n.id) === 'ForwardedToParent');
    if (forwarded.length !== chosen.length) {
      throw new Error(
        `${chosen.length} were selected but ${forwarded.length} executions ended ForwardedToParent`,
      );
    }
    const inParent = forwarded.map((n) => `${n.id}-p`);
    await this.executions.reach(inParent, 'AwaitScreening');
    this.log(
      `${campaignId}: executions ended (${[...new Set(ends.values())].join(', ')}); ${forwarded.length} entered cast-2024 as 中国工艺美术学会's nominations`,
    );

    // The forwarding package to CAST is built while the CAST round goes on (awaited before publicity).
    this.societyPackage = s.buildPackage(sec, campaignId).then((pack) => {
      const entries = zipEntryNames(pack.zip);
      this.log(
        `${campaignId}: forwarding package built — ${pack.nominations} nominations, ${entries.length} entries, ${mib(pack.bytes)}`,
      );
      this.packages.push({ campaignId, nominations: pack.nominations, bytes: pack.bytes, entries });
    });
    this.societyPackage.catch(() => undefined); // awaited later; a failure is reported there

    const list = await s.list(sec, campaignId);
    this.summary.push(
      '',
      `1. 学会推荐轮 · Society round — ${builtinCampaign(campaignId).name.zh} (${campaignId})`,
      `   ${unitTypes(campaignId, SOCIETY_UNITS)}; ${SOCIETY_EXPERTS.length} experts, ${builtinCampaign(campaignId).review.expertsPerNomination} per nomination`,
      `   ${list.length} nominations: ${statusCounts(list)}`,
      ...roundLines(list, this.tracked),
      ...conflicts,
    );
    this.timings.push(`society round ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return forwarded;
  }

  /** Invites the units and experts, then every unit prepares and submits its nominations (units in parallel). */
  private async inviteAndSubmit(
    sec: Person,
    campaignId: CampaignId,
    units: readonly UnitPlan[],
    experts: readonly ExpertPlan[],
    plans: readonly NominationPlan[],
  ): Promise<Tracked[]> {
    const s = this.steps;
    const people = new Map<string, Person>();
    for (const unit of units) people.set(unit.id, await s.inviteUnit(sec, unit));
    for (const expert of experts) await s.inviteExpert(sec, expert);
    this.log(`${campaignId}: invited ${unitTypes(campaignId, units)} and ${experts.length} experts`);
    for (const [id, person] of people) this.unitPeople.set(id, person);

    // Units work at the same time, each on its nominations one after the other.
    const submitted = (
      await Promise.all(
        units.map(async (unit) => {
          const mine: Tracked[] = [];
          const person = people.get(unit.id) as Person;
          for (const plan of plans.filter((p) => p.unit === unit.id)) {
            mine.push(await s.submitNomination(person, unit, plan, campaignId));
          }
          return mine;
        }),
      )
    ).flat();
    for (const n of submitted) this.tracked.set(n.id, n);
    const uploads = plans.reduce((sum, p) => sum + 2 + p.photos.length, 0);
    const flagged = submitted.filter((n) => n.flags.length > 0).length;
    this.log(
      `${campaignId}: ${submitted.length} nominations submitted with ${uploads} files through presigned POSTs; ${flagged} flagged by the [auto] criteria (informative)`,
    );
    return submitted;
  }

  /** Screening as planned: passes, a return the unit corrects, a rejection; then experts are assigned. */
  private async screenAll(
    sec: Person,
    campaignId: CampaignId,
    nominations: readonly Tracked[],
  ): Promise<void> {
    const s = this.steps;
    await this.executions.reach(
      nominations.map((n) => n.id),
      'AwaitScreening',
    );
    const returned: Tracked[] = [];
    for (const n of nominations) {
      const planned = n.plan.screening;
      await s.screen(sec, n.id, planned?.decision ?? 'pass', planned?.reasons);
      if (planned?.decision === 'return') returned.push(n);
      if (planned?.decision === 'reject') n.notes.push(`未通过初核 · rejected: ${planned.reasons}`);
    }
    for (const n of returned) {
      await this.executions.reach([n.id], 'AwaitResubmission');
      const unit = this.unitPeople.get(n.unitId) as Person;
      const reasons = await s.correctAndResubmit(unit, n);
      n.notes.push(
        `退回修改 · returned: ${reasons}`,
        '更换照片后重新提交，初核通过 · photo replaced, resubmitted, passed',
      );
      await this.executions.reach([n.id], 'AwaitScreening', 2);
      await s.screen(sec, n.id, 'pass');
    }
    const passed = nominations.filter((n) => n.plan.screening?.decision !== 'reject');
    await this.executions.reach(
      passed.map((n) => n.id),
      'AwaitReviews',
    );
    const rejected = nominations.length - passed.length;
    const afterReturn = returned.length > 0 ? ` (${returned.length} after a return and resubmission)` : '';
    this.log(
      `${campaignId}: screened — ${passed.length} passed${afterReturn}, ${rejected} rejected; experts assigned and e-mailed`,
    );
  }

  /** Experts review through their e-mailed links; answers the summary lines on conflicts avoided. */
  private async reviewRound(
    campaignId: CampaignId,
    nominations: readonly Tracked[],
    experts: readonly ExpertPlan[],
  ): Promise<string[]> {
    const merit = (id: string) => this.tracked.get(id)?.plan.merit ?? 7;
    const seen = await this.steps.reviewAll(experts, merit);
    const total = [...seen.values()].reduce((sum, ids) => sum + ids.length, 0);
    await this.executions.reach(
      nominations.map((n) => n.id),
      'AwaitSelection',
    );
    this.log(
      `${campaignId}: ${total} reviews by ${experts.length} experts through e-mailed links; scores aggregated`,
    );
    const lines: string[] = [];
    for (const expert of experts.filter((e) => e.affiliation)) {
      const own = nominations.filter((n) => n.unitId === expert.affiliation).map((n) => n.id);
      const reviewedOwn = (seen.get(expert.id) ?? []).filter((id) => own.includes(id));
      if (reviewedOwn.length > 0) {
        throw new Error(
          `expert ${expert.id} reviewed nominations of their own unit: ${reviewedOwn.join(', ')}`,
        );
      }
      const unit = [...SOCIETY_UNITS, ...CAST_UNITS].find((u) => u.id === expert.affiliation)?.name ?? '';
      lines.push(
        `  回避 · conflict avoided: 专家 ${expert.name}（${unit}）reviewed ${seen.get(expert.id)?.length ?? 0} nominations, none of the ${own.length} from that unit`,
      );
    }
    return lines;
  }

  // ── CAST round ──────────────────────────────────────────────────────────────────────────────

  private async castSubmissions(): Promise<Tracked[]> {
    const sec = await this.steps.secretariat('cast-2024');
    return this.inviteAndSubmit(sec, 'cast-2024', CAST_UNITS, CAST_EXPERTS, CAST_NOMINATIONS);
  }

  private async castRoundUntilPublicity(
    own: readonly Tracked[],
    fromSociety: readonly Tracked[],
  ): Promise<string> {
    const t = performance.now();
    const campaignId: CampaignId = 'cast-2024';
    const s = this.steps;
    const sec = await s.secretariat(campaignId);
    // The society's best, now its own nominations here: screened and reviewed afresh.
    const forwarded = fromSociety.map(
      ({ plan: { screening, replacePhoto, ...plan }, ...n }): Tracked => ({
        ...n,
        plan,
        id: `${n.id}-p`,
        campaignId,
        notes: [
          `由中国工艺美术学会转报，原推荐单位 · forwarded by the society, first nominated by: ${n.unitName}`,
        ],
      }),
    );
    for (const n of forwarded) this.tracked.set(n.id, n);
    const all = [...own, ...forwarded];
    this.castIds = all.map((n) => n.id);
    await this.screenAll(sec, campaignId, all);
    const conflicts = await this.reviewRound(campaignId, all, CAST_EXPERTS);
    this.castConflicts = conflicts;

    const selection = await this.confirmSelection(sec, campaignId);
    const chosen = selection.outcomes.filter((o) => o.selected).map((o) => o.nominationId);
    await this.executions.reach(chosen, 'AwaitPublicity');
    this.log(
      `${campaignId}: selection confirmed (no quota: ${chosen.length} of ${selection.outcomes.length}); forwarded to publicity`,
    );

    type Opened = { state: { publicity: { openedAt: string; closesAt: string } } };
    const publicityPath = `/api/campaigns/${campaignId}/publicity`;
    // After a lost answer: sent again (Laurel finishes an opening cut short); "already open" is done.
    const opened = await sec.finish<Opened>(publicityPath, undefined, {
      recover: () =>
        this.again(sec, 'POST', publicityPath, 'PUBLICITY_OPEN', () =>
          s.person('the public').call<Opened>('GET', `/published/${campaignId}/publicity.json`),
        ),
    });
    const notice = await s
      .person('the public')
      .must<{ entries: { nominationId: string }[] }>(200, 'GET', `/published/${campaignId}/publicity.json`);
    const { closesAt } = opened.state.publicity;
    this.log(
      `${campaignId}: publicity opened — ${notice.entries.length} on the public notice until ${formatChinaTime(new Date(closesAt))}`,
    );

    // Two objections from the public: one upheld now, one checked and dismissed later.
    const upheldPlan = own.find((n) => n.plan.objection?.decision === 'uphold');
    const dismissedOn = forwarded.find((n) => n.plan.key === DISMISSED_OBJECTION.societyKey);
    if (!upheldPlan?.plan.objection || !dismissedOn) throw new Error('the demo data lacks its objections');
    const o = upheldPlan.plan.objection;
    const first = await s.object(campaignId, {
      nominationId: upheldPlan.id,
      reason: o.reason,
      name: o.by,
      contact: o.contact,
    });
    const second = await s.object(campaignId, {
      nominationId: dismissedOn.id,
      reason: DISMISSED_OBJECTION.reason,
      name: DISMISSED_OBJECTION.by,
      contact: DISMISSED_OBJECTION.contact,
    });
    if (first.status !== 201 || second.status !== 201) {
      throw new Error(`objections should be received (201), got ${first.status} and ${second.status}`);
    }
    await this.resolve(sec, campaignId, first.body.id, { decision: 'uphold', note: o.note });
    upheldPlan.notes.push(`异议成立 · objection upheld: ${o.reason}`, `处理 · resolution: ${o.note}`);
    this.dismissal = { objectionId: second.body.id, on: dismissedOn };
    const ends = await this.executions.finish([upheldPlan.id]);
    this.log(
      `${campaignId}: 2 objections received; one upheld — ${nameOf({ category: upheldPlan.plan.category, form: upheldPlan.plan.form })} withdrawn (execution ended ${ends.get(upheldPlan.id)})`,
    );

    const early = await sec.call('POST', `/api/campaigns/${campaignId}/release`);
    this.expectRefusal(
      early,
      409,
      'PUBLICITY_RUNNING',
      '公示期内发布 · release during publicity',
      'POST',
      `/api/campaigns/${campaignId}/release`,
    );

    await this.societyPackage;
    // Everything still running waits for the end of publicity before Laurel stops.
    const running = await this.executions.listed('RUNNING');
    await this.executions.reach(running, 'AwaitPublicity');
    const failed = await this.executions.listed('FAILED');
    if (failed.length > 0) throw new Error(`executions failed: ${failed.join(', ')}`);
    this.timings.push(
      `CAST round from screening to publicity ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    return closesAt;
  }

  private async castRelease(): Promise<{ released: number; categories: number }> {
    const t = performance.now();
    const campaignId: CampaignId = 'cast-2024';
    const s = this.steps;
    const sec = await s.secretariat(campaignId);
    const path = `/api/campaigns/${campaignId}/release`;
    this.expectRefusal(
      await sec.call('POST', path),
      409,
      'OBJECTIONS_OPEN',
      '异议未处理完即发布 · release with an objection open',
      'POST',
      path,
    );
    const dismissal = this.dismissal;
    if (!dismissal) throw new Error('no objection left to dismiss');
    await this.resolve(sec, campaignId, dismissal.objectionId, {
      decision: 'dismiss',
      note: DISMISSED_OBJECTION.note,
    });
    dismissal.on.notes.push(`异议不成立 · objection dismissed: ${DISMISSED_OBJECTION.note}`);
    const late = await s.object(campaignId, {
      nominationId: dismissal.on.id,
      reason: '公示期结束后才提出的异议，请再次核实。',
      name: '赵某',
      contact: 'zhao@example.cn',
    });
    this.expectRefusal(
      late,
      409,
      'PUBLICITY_CLOSED',
      '公示期结束后提出异议 · an objection after publicity',
      'POST',
      `/api/public/${campaignId}/objections`,
    );
    type Released = { released: number; categories: number };
    const released = await sec.finish<Released>(path, undefined, {
      recover: () =>
        this.again(sec, 'POST', path, 'ALREADY_RELEASED', async () => {
          const list = await s
            .person('the public')
            .call<{ entries: { category: string }[] }>('GET', `/published/${campaignId}/released.json`);
          const entries = list.body.entries;
          return {
            ...list,
            body: { released: entries.length, categories: new Set(entries.map((e) => e.category)).size },
          };
        }),
    });
    this.log(
      `${campaignId}: objection dismissed; released ${released.released} nominations in ${released.categories} categories`,
    );

    const ends = await this.executions.finish(this.castIds);
    const running = await this.executions.listed('RUNNING');
    const failed = [
      ...(await this.executions.listed('FAILED')),
      ...(await this.executions.listed('TIMED_OUT')),
    ];
    if (running.length > 0 || failed.length > 0) {
      throw new Error(
        `executions left behind: running ${running.join(', ') || '–'}; failed ${failed.join(', ') || '–'}`,
      );
    }
    this.log(`${campaignId}: every execution ended (${[...new Set(ends.values())].join(', ')})`);

    const pack = await s.buildPackage(sec, campaignId);
    const entries = zipEntryNames(pack.zip);
    this.packages.push({ campaignId, nominations: pack.nominations, bytes: pack.bytes, entries });
    this.log(
      `${campaignId}: package built — ${pack.nominations} nominations, ${entries.length} entries, ${mib(pack.bytes)}`,
    );

    const finalList = await s
      .person('the public')
      .must<{ entries: { category: CategoryId; name: string; unitName: string }[] }>(
        200,
        'GET',
        `/published/${campaignId}/released.json`,
      );
    const list = await s.list(sec, campaignId);
    this.summary.push(
      '',
      `2. 全国评选轮 · CAST national round — ${builtinCampaign(campaignId).name.zh} (${campaignId})`,
      `   ${unitTypes(campaignId, CAST_UNITS)} + 中国工艺美术学会 (national society, forwarded); ${CAST_EXPERTS.length} experts`,
      `   ${list.length} nominations: ${statusCounts(list)}`,
      ...roundLines(list, this.tracked),
      ...this.castConflicts,
      '',
      `正式发布名单 · Final list (/published/${campaignId}/released.json)`,
      ...finalListLines(finalList.entries),
    );
    this.timings.push(`release after restart ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return released;
  }

  // ── After a lost answer (the crash-recovery test) ─────────────────────────────────────────────

  /**
   * Sends a campaign-wide step again after its answer was lost: Laurel finishes what the first
   * request left undone, and a refusal with `doneCode` means the first one had done it all —
   * then `done` reads the result as the lost answer would have told it.
   */
  private async again<T>(
    sec: Person,
    method: string,
    path: string,
    doneCode: string,
    done: () => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    const answer = await sec.call<T>(method, path);
    return answer.status === 409 && codeOf(answer.body) === doneCode ? done() : answer;
  }

  /**
   * Confirms the selection; after a lost answer, confirms again: the job answers with the outcomes
   * it stored. The demo runs inside the submission window, so the secretariat first closes
   * submissions early, with its reason (a repeat with the same reason answers alike).
   */
  private async confirmSelection(
    sec: Person,
    campaignId: CampaignId,
  ): Promise<{ outcomes: RankingOutcome[] }> {
    await sec.must(200, 'POST', `/api/campaigns/${campaignId}/close-submissions`, {
      reason: '各推荐单位均已报送完毕',
    });
    const path = `/api/campaigns/${campaignId}/selection`;
    type Confirmed = { job: { id: string } | null; outcomes: RankingOutcome[]; cursor: string | null };
    const confirmed = await sec.finish<Confirmed>(
      path,
      {},
      {
        recover: () => sec.call<Confirmed>('POST', path, {}),
      },
    );
    // The outcomes come 100 a page: the rest are read from the job, page by page.
    const outcomes = [...confirmed.outcomes];
    for (let cursor = confirmed.cursor; cursor && confirmed.job; ) {
      const page: Confirmed = await sec.must<Confirmed>(
        200,
        'GET',
        `/api/campaigns/${campaignId}/jobs/${encodeURIComponent(confirmed.job.id)}?cursor=${encodeURIComponent(cursor)}`,
        undefined,
        { route: 'GET /api/campaigns/{campaignId}/jobs/{jobId}' },
      );
      outcomes.push(...page.outcomes);
      cursor = page.cursor;
    }
    return { outcomes };
  }

  /** Resolves an objection; sent again after a lost answer, the same decision is answered as the first. */
  private async resolve(
    sec: Person,
    campaignId: CampaignId,
    objectionId: string,
    body: { decision: 'uphold' | 'dismiss'; note: string },
  ): Promise<void> {
    await sec.must(200, 'POST', `/api/campaigns/${campaignId}/objections/${objectionId}/resolution`, body);
  }

  private expectRefusal(
    answer: { status: number; body: unknown },
    status: number,
    code: string,
    what: string,
    method: string,
    path: string,
  ): void {
    if (answer.status !== status || codeOf(answer.body) !== code)
      throw unexpected('demo', method, path, status, answer);
    this.refusals.push({
      what,
      request: `${method} ${path}`,
      answer: `${status} ${code}`,
      message: messageOf(answer.body),
    });
  }

  private printSummary(seconds: number): void {
    const rule = '═'.repeat(100);
    this.print('');
    this.print(rule);
    this.print(' 汇总 · Summary');
    this.print(rule);
    for (const line of this.summary) this.print(line);
    this.print('');
    this.print('拒绝示例 · Refusals shown');
    for (const r of this.refusals) {
      this.print(`  ✗ ${r.what}`);
      this.print(
        `      ${r.request} → ${r.answer}${r.message?.zh ? `: ${r.message.zh} / ${r.message.en}` : ''}`,
      );
    }
    this.print('');
    this.print('推荐材料包 · Forwarding packages (POST /api/campaigns/{id}/package)');
    for (const p of this.packages) {
      const folders = new Set(
        p.entries.map((e) => e.split('/').slice(0, 3).join('/')).filter((e) => e.split('/').length === 3),
      );
      const example = p.entries.find((e) => e.endsWith('推荐表.docx')) ?? '';
      this.print(
        `  ${p.campaignId}: ${p.nominations} nominations, ${p.entries.length} entries (${folders.size} folders + 汇总表.xlsx), ${mib(p.bytes)} (${p.bytes.toLocaleString('en')} bytes)`,
      );
      if (example) this.print(`      e.g. ${example}`);
    }
    this.print('');
    this.print(`用时 · Duration: ${this.timings.join(', ')}; total ${seconds.toFixed(1)} s`);
  }
}

interface RankingOutcome {
  nominationId: string;
  category: CategoryId;
  rank: number | null;
  selected: boolean;
  meanTotal: number;
  message: Bilingual;
}

function unitTypes(campaignId: CampaignId, units: readonly UnitPlan[]): string {
  const types = builtinCampaign(campaignId).unitTypes;
  const counts = types
    .map((t) => [t.name.zh, units.filter((u) => u.type === t.id).length] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`);
  return `${units.length} units (${counts.join(' · ')})`;
}

function finalListLines(entries: { category: CategoryId; name: string; unitName: string }[]): string[] {
  return CATEGORY_IDS.flatMap((category) => {
    const names = entries.filter((e) => e.category === category).map((e) => `${e.name}（${e.unitName}）`);
    return names.length > 0 ? [`  ${CATEGORY_NAMES[category].zh}: ${names.join('、')}`] : [];
  });
}

// As a script (`npm run demo`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // The local cloud's AWS SDK warns that its 2027 releases will need Node 22; Laurel pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runDemo().catch((error: unknown) => {
    console.error(`\nThe demo failed · 演示失败: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
