/**
 * What each function may touch, read from its code (handlers → use cases → adapters), so every
 * role gets exactly its grants and nothing by default. A function missing here gets only its
 * log group. Keep in step with the handlers: a new SDK call needs a line here, and the local
 * cloud (which checks no IAM) will not catch a missing one — the infra tests list the grants.
 */
export interface FunctionAccess {
  /** Items of the table and its indexes (Get/Put/Update/Delete/Query, transactions). */
  table?: 'read-write';
  /** Uploads-bucket key prefixes and what may be done there (a presigned URL carries the signer's rights). */
  uploads?: Partial<Record<UploadPrefix, readonly UploadAction[]>>;
  /** SendTaskSuccess/Failure/Heartbeat for this state machine's tokens. */
  answersTasks?: boolean;
  /** StartExecution on this state machine. */
  startsExecutions?: boolean;
  /** StartExecution on the campaign-job state machine. */
  startsJobs?: boolean;
  /** ListExecutions, DescribeExecution, GetExecutionHistory on this state machine. */
  readsExecutions?: boolean;
  /** ses:SendEmail from the mail identity. */
  sendsMail?: boolean;
  /** The health probes: DescribeTable, HeadBucket, ListStateMachines, SES GetAccount. */
  probesHealth?: boolean;
}

export type UploadPrefix = 'nominations/' | 'packages/';
export type UploadAction = 'read' | 'write' | 'delete';

export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  // validate-submission reads the nomination and the honouree lists, stores the [auto] checks.
  'validate-submission': { table: 'read-write' },
  // await-step stores the token and answers at once when the decision is already known.
  'await-step': { table: 'read-write', answersTasks: true },
  // pipeline-step assigns experts (mails their links), aggregates, forwards (a new execution in the parent round).
  'pipeline-step': { table: 'read-write', sendsMail: true, startsExecutions: true },
  health: { probesHealth: true },
  openapi: {},
  sessions: { table: 'read-write' },
  // nominations: drafts, submit (starts the execution), resubmit/withdraw (answers the waiting step), downloads.
  nominations: {
    table: 'read-write',
    uploads: { 'nominations/': ['read'] },
    startsExecutions: true,
    answersTasks: true,
  },
  // uploads: presigned POST (signed with this role, so it needs write), removal.
  uploads: { table: 'read-write', uploads: { 'nominations/': ['write', 'delete'] } },
  // attachments: reads the uploaded file back to inspect it, deletes a refused one.
  attachments: { table: 'read-write', uploads: { 'nominations/': ['read', 'delete'] } },
  invitations: { table: 'read-write', sendsMail: true },
  // secretariat: lists, overview, experts, honourees, extensions.
  secretariat: { table: 'read-write' },
  // form-docx: renders the nomination's form from the table.
  'form-docx': { table: 'read-write' },
  // forwarding-package: reads the attachments, writes the ZIP and presigns its download.
  'forwarding-package': {
    table: 'read-write',
    uploads: { 'nominations/': ['read'], 'packages/': ['read', 'write'] },
  },
  // reviews: the expert's page (attachment downloads) and the confirmed review (answers AwaitReviews).
  reviews: { table: 'read-write', uploads: { 'nominations/': ['read'] }, answersTasks: true },
  // campaign-steps: selection, publicity, release plan the moves and start their job; an upheld
  // objection withdraws its nomination and answers its execution here.
  'campaign-steps': { table: 'read-write', startsJobs: true, answersTasks: true },
  // campaign-job: applies a job's plan a chunk at a time, answering the waiting executions.
  'campaign-job': { table: 'read-write', answersTasks: true },
  // ops: executions by status, their history, and a restart under a new name.
  ops: { table: 'read-write', readsExecutions: true, startsExecutions: true },
  screening: { table: 'read-write', answersTasks: true },
};

export const accessOf = (name: string): FunctionAccess => FUNCTION_ACCESS[name] ?? {};
