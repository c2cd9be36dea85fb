import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../functions/routes.js';
import { synthStack } from './app-fixture.js';
import { actionsOf, functionIdOf, resourcesOf, statementsOfFunction } from './template-queries.js';

/**
 * The CDK side of the route table: a function and a route added to a copy of the table appear in
 * the synthesized template — the function with its limits, its route on the HTTP API (with the
 * fallback's ANY on its path), and exactly the grants its entry names — with no other change.
 */

const labels: FunctionSpec = {
  name: 'labels',
  entry: 'functions/handlers/screening.ts',
  grants: { readsExecutions: true },
  limits: { memoryMb: 384, timeoutSeconds: 12 },
  routes: [
    {
      route: 'PATCH /api/nominations/{id}/label',
      summary: { zh: '给推荐加标签', en: 'Label a nomination' },
      access: { roles: ['secretariat'], scope: 'nomination' },
      success: { status: 200, description: { zh: '已加标签', en: 'Labelled' } },
    },
  ],
};

describe('a function and route added to a copy of the route table', () => {
  const { template } = synthStack({}, { functions: [...FUNCTIONS, labels] });
  const routeKeys = () =>
    resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties?.RouteKey));

  it('is a function with the limits of its entry', () => {
    const id = functionIdOf(template, 'labels');
    const fn = resourcesOf(template, 'AWS::Lambda::Function').find(([key]) => key === id)?.[1];
    expect(fn?.Properties).toMatchObject({ MemorySize: 384, Timeout: 12 });
  });

  it('is routed on the HTTP API, with ANY on its path to the fallback', () => {
    expect(routeKeys()).toContain('PATCH /api/nominations/{id}/label');
    expect(routeKeys()).toContain('ANY /api/nominations/{id}/label');
    const unchanged = synthStack().template;
    const before = resourcesOf(unchanged, 'AWS::ApiGatewayV2::Route').map(([, r]) =>
      String(r.Properties?.RouteKey),
    );
    expect(
      routeKeys()
        .filter((k) => !before.includes(k))
        .sort(),
    ).toEqual(['ANY /api/nominations/{id}/label', 'PATCH /api/nominations/{id}/label']);
  });

  it('gets exactly the grants of its entry', () => {
    const actions = statementsOfFunction(template, functionIdOf(template, 'labels')).flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining([
        'states:ListExecutions',
        'states:DescribeExecution',
        'states:GetExecutionHistory',
      ]),
    );
    expect(actions.filter((a) => !a.startsWith('logs:')).sort()).toEqual(
      ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:ListExecutions'].sort(),
    );
  });
});
