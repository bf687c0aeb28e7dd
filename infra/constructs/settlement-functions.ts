import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { allowStartThroughAlias, liveAliasArn, type StartTarget } from './live-alias.js';
import { ServiceFunction } from './service-function.js';
import { functionTimeoutSeconds } from '../function-timeouts.js';

/**
 * The settlement's page and summary steps. A page of 1,000 commissions takes seconds; the
 * state machine's task timeout (330 s) sits above the function's (300 s).
 */
export function settlementStepFunction(scope: Construct, props: { readonly entry: string; readonly environment: Record<string, string> }): ServiceFunction {
  return new ServiceFunction(scope, 'SettlementStep', {
    entry: props.entry,
    description: 'Monthly settlement steps: a page of unpaid commissions, then branch summaries',
    environment: props.environment,
    timeout: Duration.seconds(functionTimeoutSeconds('workflow/settlement-step.ts')),
    memorySize: 1024,
  });
}

/** StartExecution through the settlement's `live` alias, DescribeExecution on its executions only (named per month and attempt). */
export function allowSettlementStart(f: ServiceFunction, settlement: StartTarget, machineName: string): void {
  allowStartThroughAlias(f, settlement);
  allowSettlementDescribe(f, machineName);
}

/**
 * The settlement step starts the month queued after the one it completes: the same two
 * actions, the machine and alias named by the machine's name, since a reference to the
 * machine (which invokes this function) would make a dependency cycle.
 */
export function allowSettlementChaining(f: ServiceFunction, machineName: string): void {
  const machineArn = Stack.of(f).formatArn({ service: 'states', resource: 'stateMachine', resourceName: machineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  allowSettlementStart(f, { machineArn, aliasArn: liveAliasArn(machineArn) }, machineName);
}

function allowSettlementDescribe(f: ServiceFunction, machineName: string): void {
  f.addToRolePolicy(new PolicyStatement({
    actions: ['states:DescribeExecution'],
    resources: [Stack.of(f).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${machineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })],
  }));
}
