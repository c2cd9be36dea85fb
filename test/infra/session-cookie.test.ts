import { describe, expect, it } from 'vitest';
import { synthStack } from './app-fixture.js';
import { resourcesOf, variablesOf } from './template-queries.js';

/** In AWS the site is served over HTTPS only: the session cookie is Secure there, in both homes. */
describe.each([
  ['global', {}],
  ['China', { region: 'cn-north-1' }],
] as const)('the %s stack', (_, settings) => {
  const { template } = synthStack(settings);
  it('tells every function that sets the session cookie to mark it Secure', () => {
    const secure = resourcesOf(template, 'AWS::Lambda::Function').map(
      ([, fn]) => variablesOf(fn).LAUREL_COOKIE_SECURE,
    );
    const laurel = secure.filter((value) => value !== undefined);
    expect(laurel.length).toBeGreaterThan(5);
    expect(new Set(laurel)).toEqual(new Set(['true']));
  });
});
