/**
 * The zod schemas the route table (functions/routes.ts) names for request bodies and responses,
 * in one module that the table never imports: the OpenAPI document (functions/lib/api-spec.ts, on
 * the openapi function's first request) and the tests take a route's schema from it
 * (`route.body?.(schemas)`). No other function bundles it, so none bundles or builds another
 * function's schemas; a function's own code builds the schemas it parses with when it imports its
 * use cases (test/infra/bundle.test.ts checks that only the openapi function bundles this module).
 * A route's schema is exported here, where it is defined, and named in the table.
 */

export { invitationRequestSchema } from './rules/access.js';
export { closeSubmissionsSchema, deadlineExtensionSchema } from './rules/deadline.js';
export { forwardLimitSchema, selectionDecisionSchema } from './rules/discretion.js';
export { expertPanelSchema } from './rules/expert-panel.js';
export {
  attachmentRecordedSchema,
  declarationAnswerSchema,
  nominationDetailSchema,
  reviewViewSchema,
} from './rules/nomination-view-schemas.js';
export { campaignOverviewSchema } from './rules/overview-schema.js';
export { deletionRequestSchema, personalCorrectionSchema } from './rules/personal-requests.js';
export {
  declarationSchema,
  declineSchema,
  dismissConflictSchema,
  extendReviewSchema,
  reviewSubmissionSchema,
  swapReviewerSchema,
} from './rules/review.js';
export {
  childRoundsSchema,
  roundCorrectedSchema,
  roundCreatedSchema,
  roundListSchema,
  roundVersionsSchema,
} from './rules/round-view-schemas.js';
export { roundCorrectionSchema, roundCreationSchema } from './use-cases/campaign-catalog.js';
export {
  campaignJobViewSchema,
  categoriesSchema,
  objectionSchema,
  resolutionSchema,
} from './use-cases/campaign-steps.js';
export {
  endorsementSchema,
  societyScanRecordSchema,
  societyScanRequestSchema,
} from './use-cases/endorsement.js';
export { packageAnswerSchema, packageRequestSchema } from './use-cases/forwarding-package-answer.js';
export {
  createDraftSchema,
  saveFormSchema,
  submitSchema,
  versionOnlySchema,
} from './use-cases/nominations.js';
export { accessRecordsSchema } from './use-cases/personal-information.js';
export {
  correctionAnswerSchema,
  deletionAnswerSchema,
  deletionViewSchema,
} from './use-cases/personal-requests.js';
export { screeningDecisionSchema } from './use-cases/screening.js';
export { honoureeImportSchema } from './use-cases/secretariat.js';
export { revocationRequestSchema, signInRequestSchema } from './use-cases/sign-in.js';
export { recordAttachmentSchema, uploadRequestSchema } from './use-cases/uploads.js';
