import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_METRICS } from '../../functions/ports/business-metrics.js';
import { buildApp, templateOf } from './support.js';

/** The dashboard's body as CloudFormation has it: a Fn::Join of text and references. */
function bodyOf(template: Template): string {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify((dashboards[0]!.Properties as { DashboardBody: unknown }).DashboardBody);
}

let template: Template;
beforeAll(() => {
  template = templateOf(buildApp().stateless);
}, 60_000);

describe('CloudWatch dashboard', () => {
  it('shows every alarm of the stack with its state', () => {
    const body = bodyOf(template);
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(5);
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    for (const id of alarms) expect(body, id).toContain(`"${id}","Arn"`);
  });

  it('graphs every business metric Powertools emits, in its namespace and service dimension', () => {
    const body = bodyOf(template);
    for (const metric of BUSINESS_METRICS) expect(body, metric).toContain(`\\"PolicyQc\\",\\"${metric}\\",\\"service\\",\\"policy-qc\\"`);
  });

  it('graphs the API, the lifecycle executions and the errors of every function', () => {
    const body = bodyOf(template);
    expect(body).toContain('AWS/ApiGateway');
    expect(body).toContain('AWS/States');
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const serviceFunctions = functions.filter((id) => body.includes(`"Ref":"${id}"`));
    expect(serviceFunctions.length).toBeGreaterThan(20);
  });
});
