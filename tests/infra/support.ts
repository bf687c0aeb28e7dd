import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type ComposeOptions, composeApp } from '../../infra/compose.js';
import { REPO_ROOT } from '../../infra/paths.js';

/** The context of cdk.json (configuration and feature flags), as the CLI would pass it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface BuildOptions extends ComposeOptions {
  /** Run esbuild for every function (slow); otherwise bundling is skipped. */
  readonly bundle?: boolean;
  /** Extra context on top of cdk.json's. */
  readonly context?: Record<string, unknown>;
}

/** Builds the app like infra/app.ts does (nag off unless asked), without the CLI. */
export function buildApp(options: BuildOptions = {}) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')),
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stacks = composeApp(app, { nag: options.nag ?? false, stateless: options.stateless });
  return { app, ...stacks };
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(child as never);
}

export interface Statement {
  readonly actions: string[];
  /** Each resource as its JSON text (intrinsics included). */
  readonly resources: string[];
}

/** Every Allow statement of the policies attached to one role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const out: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const props = policy.Properties as { Roles?: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } };
    if (!JSON.stringify(props.Roles ?? []).includes(`"${roleLogicalId}"`)) continue;
    for (const s of props.PolicyDocument.Statement) {
      if (s.Effect !== 'Allow') continue;
      out.push({ actions: [s.Action].flat() as string[], resources: [s.Resource].flat().map((r) => JSON.stringify(r)) });
    }
  }
  return out;
}

/** Resource text → the actions allowed on it. */
export function actionsByResource(statements: Statement[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const s of statements) {
    for (const r of s.resources) {
      const set = map.get(r) ?? new Set<string>();
      s.actions.forEach((a) => set.add(a));
      map.set(r, set);
    }
  }
  return map;
}
