import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { FunctionSpec } from '../../functions/routes.js';
import { REPO_ROOT } from '../../infra/stacks/lambdas.js';
import { LaurelStack } from '../../infra/stacks/laurel-stack.js';
import { readSettings } from '../../infra/stacks/settings.js';

/** cdk.json's context: the stage defaults and feature flags the CLI passes to the app. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

/**
 * The stack as `cdk synth` builds it, minus Lambda bundling (context aws:cdk:bundling-stacks = []):
 * 0.5 s instead of half a minute. The same context as the CLI, plus any overrides. CloudFormation's
 * own template checks (feature flag validateAgainstDefaultRules: cycles, resource types the region
 * offers) cost 2–5 s per synth, so they run only where a test asks; `npm run synth` always runs them.
 * The cloud assembly goes to a folder of its own, removed once the template is read: an App
 * without `outdir` leaves a cdk.out folder in the system's temporary folder at every synth.
 */
export function synthStack(
  overrides: Record<string, unknown> = {},
  options: { cloudFormationChecks?: boolean; functions?: readonly FunctionSpec[] } = {},
): { stack: LaurelStack; template: Template } {
  const context = {
    ...CDK_CONTEXT,
    '@aws-cdk/core:validateAgainstDefaultRules': options.cloudFormationChecks ?? false,
    ...overrides,
    'aws:cdk:bundling-stacks': [],
    // Construct stack traces are only for CLI error messages, and slow under vitest's source maps.
    'aws:cdk:disable-stack-trace': true,
  };
  const outdir = mkdtempSync(join(tmpdir(), 'laurel-synth-'));
  try {
    const app = new App({ context, outdir });
    const settings = readSettings((key) => app.node.tryGetContext(key), {});
    const stack = new LaurelStack(app, `Laurel-${settings.stage}`, {
      settings,
      ...(options.functions ? { functions: options.functions } : {}),
      env: { account: settings.account ?? '123456789012', region: settings.region ?? 'us-east-1' },
    });
    return { stack, template: Template.fromStack(stack) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
