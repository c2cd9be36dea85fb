import type { Actor } from '../rules/access.js';
import type { CategoryId } from '../rules/categories.js';
import type { SelectionRecord } from '../rules/discretion.js';
import type { NominationAction } from '../rules/nomination.js';

/** What happens to one nomination; the selection carries its rank and reason. */
export type CampaignJobStep = 'selection' | 'publicity' | 'release' | 'package' | 'erasure' | 'review-clock';
type PlanRef = Pick<CampaignJob, 'campaignId' | 'id' | 'planId'>;

/** The planned move of a deletion job: not a status move, and not an audit action (the erasure records its own). */
type Erase = 'erase';

/** The planned moves of a day of the review clock (functions/use-cases/review-clock.ts): no status moves. */
type ReviewClockMove = 'review-day' | 'correction-reminder';

export interface PlannedMove {
  nominationId: string;
  /** Absent for an erasure, which plans every nomination of the round from its ids alone. */
  category?: CategoryId;
  /** A move of the nomination's status, or its personal information erased (functions/use-cases/erasure.ts). */
  action:
    | Extract<NominationAction, 'select' | 'not-select' | 'open-publicity' | 'release'>
    | Erase
    | ReviewClockMove;
  selection?: SelectionRecord;
  /**
   * The nominating unit: the plan keeps a unit's moves in one chunk, which tells it of them in one
   * notice. Absent for an erasure, and in plans made before.
   */
  unitId?: string;
}

export interface CampaignJob {
  /** One per step (and, for a selection, per set of categories): a repeat finds it. */
  id: string;
  campaignId: string;
  step: CampaignJobStep;
  /**
   * Each start of the job — the first, a restart after it failed, a new plan once more
   * nominations became ready — is the next attempt, one Step Functions execution each.
   */
  attempt: number;
  /** The plan's own id, in its chunks' keys: two requests racing to start an attempt never write over each other's plan. */
  planId: string;
  /**
   * false until the job's execution has planned it (its first task): `total` and `chunks` are
   * known from then on. Absent on jobs planned by the request that started them (before plans
   * were made by the job).
   */
  planned?: boolean;
  /** The categories a selection ranks and moves. */
  categories?: CategoryId[];
  status: 'running' | 'done' | 'failed';
  total: number;
  chunks: number;
  /** Chunks applied so far: the progress a waiting secretariat sees. */
  movedChunks: number;
  /** Nominations done so far, for a job that goes one at a time (the forwarding package) rather than by chunks. */
  done?: number;
  startedAt: string;
  finishedAt?: string;
  by: Actor;
  /** The step's answer once done (e.g. how many were released), computed with the plan. */
  summary: Record<string, unknown>;
  /**
   * How many of the plan's moves are of each action, counted as the job plans: the selection's
   * answer says how many were selected without reading its plan. Absent on jobs planned before.
   */
  tally?: Partial<Record<PlannedMove['action'], number>>;
  error?: string;
}

export interface JobStore {
  job(campaignId: string, jobId: string): Promise<CampaignJob | undefined>;
  /** Stores a plan's chunks, numbered from `first` (0 by default): the job plans a chunk at a time. */
  savePlan(plan: PlanRef, chunks: PlannedMove[][], first?: number): Promise<void>;
  planChunk(plan: PlanRef, index: number): Promise<PlannedMove[]>;
  /**
   * Stores the job's next attempt if the stored one is still `previousAttempt` (none: 0); false
   * when another request started an attempt first.
   */
  startJob(job: CampaignJob, previousAttempt: number): Promise<boolean>;
  /** Updates a running job of this attempt (progress, the end); a stale attempt changes nothing. */
  updateJob(job: CampaignJob): Promise<void>;
}

export interface JobTaskInput {
  campaignId: string;
  jobId: string;
  attempt: number;
  chunk: number;
}
