import { allowedMethods, assertThroughSite } from '../lib/api.js';
import { originProofOnce } from '../lib/config.js';
import { errorResponse, httpHandler } from '../lib/http.js';
import { quoteShort } from '../rules/validation.js';

/**
 * What no route of the table serves. API Gateway sends here its `$default` route (a path the
 * table does not have: 404) and the `ANY` route of every path of the table (a method that path
 * is not served with: 405 with `Allow`), both in the error envelope every other answer uses.
 */

export const handler = httpHandler(async (event) => {
  assertThroughSite(event, originProofOnce());
  const path = event.routeKey.startsWith('ANY ') ? event.routeKey.slice(4) : undefined;
  const allow = path ? allowedMethods(path) : [];
  if (allow.length === 0) {
    // The path is quoted short: a path of any length is never echoed whole.
    const path = quoteShort(event.rawPath);
    return errorResponse(404, 'NOT_FOUND', {
      zh: `没有此接口：${event.requestContext.http.method} ${path}`,
      en: `No such route: ${event.requestContext.http.method} ${path}`,
    });
  }
  const answer = errorResponse(405, 'METHOD_NOT_ALLOWED', {
    zh: `此接口不支持 ${event.requestContext.http.method} 方法，可用：${allow.join('、')}`,
    en: `${event.requestContext.http.method} is not allowed here; use ${allow.join(', ')}`,
  });
  return { ...answer, headers: { ...answer.headers, allow: allow.join(', ') } };
});
