import { sniffType } from '../../../functions/documents/file-type.js';
import { ATTACHMENT_RULES, typeMismatch } from '../../../functions/rules/attachments.js';
import type { Campaign } from '../../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import type { DeadlineExtension } from '../../../functions/rules/deadline.js';
import type { NominationStatus } from '../../../functions/rules/nomination-status.js';
import type { RankingShown } from '../../../functions/rules/ranking-lines.js';
import type { UploadDeps } from '../../../functions/use-cases/uploads.js';
import campaignJobMachine from '../../../statemachines/campaign-job.asl.json' with { type: 'json' };
import packageJobMachine from '../../../statemachines/forwarding-package.asl.json' with { type: 'json' };
import nominationMachine from '../../../statemachines/nomination.asl.json' with { type: 'json' };
import { memoryAccessStore } from './access.js';
import { memoryAccessLog } from './access-log.js';
import { memoryCampaignStore } from './campaigns.js';
import { memoryErasureStore } from './erasure.js';
import { memoryExecutions } from './executions.js';
import { memoryJobStore } from './jobs.js';
import { memoryOutbox, type Outbox } from './mail.js';
import { memoryNominationStore } from './nominations.js';
import { memoryPublicFiles } from './public-files.js';
import { memoryReviewStore, rankingEntries } from './reviews.js';
import { type AslDefinition, MemoryStateMachines } from './state-machines.js';
import { memoryClock, memoryIds, memorySecrets } from './system.js';
import { campaignJobTasks, nominationTasks, packageJobTasks } from './tasks.js';
import { memoryUploadStorage } from './uploads.js';
import {
  CAMPAIGN_JOB_MACHINE,
  type MemoryJobRunner,
  memoryJobRunner,
  memoryWorkflow,
  NOMINATION_MACHINE,
  PACKAGE_JOB_MACHINE,
} from './workflow.js';
import type { WorldDeps } from './world-deps.js';

export { CAMPAIGN_JOB_MACHINE, NOMINATION_MACHINE, PACKAGE_JOB_MACHINE } from './workflow.js';
export type { WorldDeps } from './world-deps.js';

/**
 * A whole Laurel in memory: every port on maps (deep copies in, deep copies out), the two state
 * machines run from their definitions, a mail outbox, an uploads bucket holding bytes, a clock
 * the test sets, and ids and secrets counted from 1. Every use case takes `deps` (what the
 * handlers' wiring gives them); `settle()` lets the "cloud" catch up — every execution moves on
 * until it waits for a person.
 */

export interface WorldOptions {
  /** The clock's start: by default 1 February 2025, 09:00 China time, inside both rounds' windows. */
  now?: string;
  campaigns?: ReadonlyMap<string, Campaign>;
  /** The upload check; by default the type by content only (see `checkTypeOnly`). */
  inspect?: UploadDeps['inspect'];
  webUrl?: string;
}

/**
 * The type check of functions/documents/inspect-upload.ts without decoding the file: enough for
 * the padded files of test/fixtures/files.ts. Pass `inspectUpload` itself to check files fully.
 */
export const checkTypeOnly: UploadDeps['inspect'] = async (kind, bytes) => {
  const detected = await sniffType(bytes);
  if (!detected || !ATTACHMENT_RULES[kind].mimeTypes.includes(detected.mime))
    throw typeMismatch(kind, detected);
  return detected;
};

export const WEB_URL = 'https://laurel.test';

/** How long each Task of a state machine takes on the world's clock. */
export const TASK_MS = 10;

export function memoryWorld(options: WorldOptions = {}) {
  const clock = memoryClock(options.now ?? '2025-02-01T09:00:00+08:00');
  const ids = memoryIds();
  const secrets = memorySecrets();
  const campaigns = options.campaigns ?? BUILTIN_CAMPAIGNS;
  // Both adapters keep a unit's extension in one item: the campaign store writes it, the nomination store reads it.
  const extensions = new Map<string, DeadlineExtension>();
  const rankingRows = new Map<string, { status: NominationStatus; shown?: RankingShown }>();
  const machines = new MemoryStateMachines({
    now: () => clock.now(),
    beforeTask: () => clock.advance(TASK_MS),
  });
  const outbox: Outbox = memoryOutbox();
  const workflow = memoryWorkflow(machines);
  const jobRunner: MemoryJobRunner = memoryJobRunner(machines);
  const packageRunner: MemoryJobRunner = memoryJobRunner(machines, PACKAGE_JOB_MACHINE);
  // The ranking's rows: the nomination store keeps their status (and an entry a status change brings), the review store their entries.
  const ranking = rankingEntries();
  const store = memoryNominationStore({ extensions, rankingRows, rankingEntries: ranking });
  const uploads = memoryUploadStorage(clock);
  const accessLog = memoryAccessLog();
  const deps: WorldDeps = {
    store,
    reviews: memoryReviewStore({
      rankingRows,
      rankingEntries: ranking,
      appendAudit: (event) => store.appendAudit(event),
      expertsTaken: (campaignId, nominationId) => store.expertsTaken(campaignId, nominationId),
      getNomination: (id) => store.get(id),
      recordRead: (read) => accessLog.record(read),
      changeStatus: (change) => store.changeStatus(change),
    }),
    campaignStore: memoryCampaignStore({ extensions }),
    jobs: memoryJobStore(),
    uploads,
    erasure: memoryErasureStore(),
    files: uploads,
    publicFiles: memoryPublicFiles(),
    access: memoryAccessStore(),
    accessLog,
    workflow,
    executions: memoryExecutions(machines, NOMINATION_MACHINE),
    jobRunner,
    packageRunner,
    campaigns,
    clock,
    ids,
    secrets,
    send: (mail) => outbox.send(mail),
    webUrl: options.webUrl ?? WEB_URL,
    inspect: options.inspect ?? checkTypeOnly,
  };
  machines.register(NOMINATION_MACHINE, nominationMachine as AslDefinition, nominationTasks(deps));
  machines.register(CAMPAIGN_JOB_MACHINE, campaignJobMachine as AslDefinition, campaignJobTasks(deps));
  machines.register(PACKAGE_JOB_MACHINE, packageJobMachine as AslDefinition, packageJobTasks(deps));
  return {
    deps,
    clock,
    ids,
    secrets,
    outbox,
    machines,
    workflow,
    jobRunner,
    packageRunner,
    /** Every execution moves on until it waits for a person, waits out a long retry, or ends. */
    settle: () => machines.settle(),
  };
}

export type World = ReturnType<typeof memoryWorld>;
