import type { CampaignJob, JobStore, PlannedMove } from '../../../functions/ports/jobs.js';
import { copy } from './aws-errors.js';

/**
 * The job store of functions/adapters/job-store.ts, in memory: a plan's chunks under the plan's
 * own id (a missing chunk reads as empty); `startJob` is a compare-and-set on the attempt (none
 * stored: 0), false when another attempt was started first; `updateJob` changes a job only while
 * its attempt is the stored one, and silently does nothing for a stale attempt.
 */

export interface MemoryJobStore extends JobStore {
  /** Test access: how many chunks each plan stored (by `<campaign>#<job>#<plan>`). */
  plans(): Record<string, number>;
}

type PlanRef = Pick<CampaignJob, 'campaignId' | 'id' | 'planId'>;

export function memoryJobStore(): MemoryJobStore {
  const jobs = new Map<string, CampaignJob>();
  const chunks = new Map<string, PlannedMove[]>();
  const jobKey = (campaignId: string, id: string) => `${campaignId}#${id}`;
  const planKey = (plan: PlanRef) => `${plan.campaignId}#${plan.id}#${plan.planId}`;
  const chunkKey = (plan: PlanRef, index: number) => `${planKey(plan)}#${String(index).padStart(5, '0')}`;

  return {
    plans() {
      const counts: Record<string, number> = {};
      for (const key of chunks.keys()) {
        const plan = key.slice(0, key.lastIndexOf('#'));
        counts[plan] = (counts[plan] ?? 0) + 1;
      }
      return counts;
    },
    async job(campaignId, id) {
      const job = jobs.get(jobKey(campaignId, id));
      return job ? copy(job) : undefined;
    },
    async savePlan(plan, list, first = 0) {
      list.forEach((moves, i) => {
        chunks.set(chunkKey(plan, first + i), copy(moves));
      });
    },
    async planChunk(plan, index) {
      return copy(chunks.get(chunkKey(plan, index)) ?? []);
    },
    async startJob(job, previousAttempt) {
      const stored = jobs.get(jobKey(job.campaignId, job.id));
      const free = previousAttempt === 0 ? stored === undefined : stored?.attempt === previousAttempt;
      if (!free) return false;
      jobs.set(jobKey(job.campaignId, job.id), copy(job));
      return true;
    },
    async updateJob(job) {
      const stored = jobs.get(jobKey(job.campaignId, job.id));
      if (stored?.attempt !== job.attempt) return;
      jobs.set(jobKey(job.campaignId, job.id), copy(job));
    },
  };
}
