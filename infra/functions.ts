/**
 * Every Lambda function of Laurel, once: its handler file and, for API handlers, its HTTP
 * routes. The CDK app builds one NodejsFunction per entry and one API route per route; the
 * local cloud imports the same files and serves the same routes.
 */
export interface FunctionSpec {
  /** Short name, used in resource names and in the ASL substitution map. */
  name: string;
  /** Handler file, relative to the repository root; it exports `handler`. */
  entry: string;
  /** 'METHOD /path' with {param} placeholders, as API Gateway HTTP API route keys. */
  routes: readonly string[];
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  // Tasks of the nomination state machine (invoked by Step Functions, no HTTP route).
  { name: 'validate-submission', entry: 'functions/handlers/tasks/validate-submission.ts', routes: [] },
  { name: 'await-step', entry: 'functions/handlers/tasks/await-step.ts', routes: [] },
  { name: 'pipeline-step', entry: 'functions/handlers/tasks/pipeline-step.ts', routes: [] },
  // The task of the campaign-job state machine (selection, publicity, release in chunks).
  { name: 'campaign-job', entry: 'functions/handlers/tasks/campaign-job.ts', routes: [] },
  // The HTTP API.
  { name: 'health', entry: 'functions/handlers/health.ts', routes: ['GET /api/health'] },
  { name: 'openapi', entry: 'functions/handlers/openapi.ts', routes: ['GET /api/openapi.json'] },
  {
    name: 'sessions',
    entry: 'functions/handlers/sessions.ts',
    routes: ['POST /api/sessions', 'GET /api/session', 'DELETE /api/session'],
  },
  {
    name: 'nominations',
    entry: 'functions/handlers/nominations.ts',
    routes: [
      'POST /api/nominations',
      'GET /api/nominations',
      'GET /api/nominations/{id}',
      'GET /api/nominations/{id}/audit',
      'PUT /api/nominations/{id}/form',
      'POST /api/nominations/{id}/submit',
      'POST /api/nominations/{id}/withdraw',
    ],
  },
  {
    name: 'uploads',
    entry: 'functions/handlers/uploads.ts',
    routes: ['POST /api/nominations/{id}/uploads', 'DELETE /api/nominations/{id}/attachments/{attachmentId}'],
  },
  {
    name: 'attachments',
    entry: 'functions/handlers/attachments.ts',
    routes: ['POST /api/nominations/{id}/attachments'],
  },
  { name: 'invitations', entry: 'functions/handlers/invitations.ts', routes: ['POST /api/invitations'] },
  {
    name: 'secretariat',
    entry: 'functions/handlers/secretariat.ts',
    routes: [
      'GET /api/campaigns/{campaignId}/nominations',
      'GET /api/campaigns/{campaignId}/overview',
      'GET /api/campaigns/{campaignId}/experts',
      'POST /api/campaigns/{campaignId}/honourees',
      'POST /api/campaigns/{campaignId}/extensions',
    ],
  },
  {
    name: 'reviews',
    entry: 'functions/handlers/reviews.ts',
    routes: ['GET /api/review', 'POST /api/review'],
  },
  {
    name: 'campaign-steps',
    entry: 'functions/handlers/campaign-steps.ts',
    routes: [
      'GET /api/campaigns/{campaignId}/ranking',
      'POST /api/campaigns/{campaignId}/selection',
      'POST /api/campaigns/{campaignId}/publicity',
      'GET /api/campaigns/{campaignId}/jobs/{jobId}',
      'GET /api/campaigns/{campaignId}/objections',
      'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution',
      'POST /api/campaigns/{campaignId}/release',
      'GET /api/public/{campaignId}/publicity',
      'POST /api/public/{campaignId}/objections',
      'GET /api/public/{campaignId}/released',
    ],
  },
  {
    name: 'ops',
    entry: 'functions/handlers/ops.ts',
    routes: [
      'GET /api/ops/executions',
      'GET /api/ops/executions/{name}/history',
      'POST /api/ops/executions/{name}/restart',
    ],
  },
  {
    name: 'screening',
    entry: 'functions/handlers/screening.ts',
    routes: ['POST /api/nominations/{id}/screening'],
  },
  // Document builders, apart from the routes above so that only they bundle docx, exceljs and
  // fflate (infra/bundling.ts: API handlers stay under 300 KB; these two are exempt).
  {
    name: 'form-docx',
    entry: 'functions/handlers/form-docx.ts',
    routes: ['GET /api/nominations/{id}/form.docx'],
  },
  {
    name: 'forwarding-package',
    entry: 'functions/handlers/forwarding-package.ts',
    routes: ['POST /api/campaigns/{campaignId}/package'],
  },
];
