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
  { name: 'health', entry: 'functions/handlers/health.ts', routes: ['GET /api/health'] },
  {
    name: 'sessions',
    entry: 'functions/handlers/sessions.ts',
    routes: ['POST /api/sessions', 'GET /api/session', 'DELETE /api/session'],
  },
];
