/**
 * What each HTTP handler may touch beyond its own log group, decided here once so that a
 * new route forces a decision (synth fails for a handler missing from this table).
 */
export interface HandlerAccess {
  /** `R`: get/query only; `RW`: also put/update/delete items. */
  readonly table: 'R' | 'RW';
  /** Starts lifecycle executions (`states:StartExecution` on the lifecycle machine). */
  readonly startsLifecycle?: boolean;
  /** Completes waiting tasks (`states:SendTaskSuccess`/`SendTaskFailure`). */
  readonly completesTasks?: boolean;
  /**
   * Sends notifications (`ses:SendEmail` from the identity through the configuration set).
   * Today only the workflow-step function mails (use-cases/workflow-steps.ts → notify).
   */
  readonly sendsMail?: boolean;
  /**
   * Reads the audit trail and records the read first (RULES.md §7): `dynamodb:PutItem` on
   * access-log items only (partition keys `ACCESS#…`), beside read-only table access.
   */
  readonly recordsReads?: boolean;
  /** Starts and inspects settlement executions (`states:StartExecution`/`DescribeExecution` on the settlement machine). */
  readonly startsSettlement?: boolean;
}

export const HTTP_ACCESS: Readonly<Record<string, HandlerAccess>> = {
  'register-policy': { table: 'RW', startsLifecycle: true },
  'record-receipt': { table: 'RW', completesTasks: true },
  'cancel-policy': { table: 'RW', completesTasks: true },
  'list-due-callbacks': { table: 'R' },
  'record-callback-attempt': { table: 'RW', completesTasks: true },
  'update-contact': { table: 'RW', completesTasks: true },
  'file-special-request': { table: 'RW', completesTasks: true },
  'decide-special-request': { table: 'RW', completesTasks: true },
  'list-open-manual-visits': { table: 'R' },
  'record-manual-visit': { table: 'RW', completesTasks: true },
  'list-open-reviews': { table: 'R' },
  'decide-review': { table: 'RW', completesTasks: true },
  'get-policy': { table: 'R' },
  'get-policy-history': { table: 'R', recordsReads: true },
  'verify-policy-history': { table: 'R', recordsReads: true },
  'search-audit-events': { table: 'R', recordsReads: true },
  'list-access-log': { table: 'R', recordsReads: true },
  'get-false-contact-report': { table: 'R', recordsReads: true },
  'get-quality-report': { table: 'R', recordsReads: true },
  'run-settlement': { table: 'RW', startsSettlement: true },
  'get-settlement': { table: 'R' },
};

export function accessOf(handler: string): HandlerAccess {
  const access = HTTP_ACCESS[handler];
  if (!access) {
    throw new Error(
      `HTTP handler "${handler}" has no entry in infra/stacks/http-access.ts: decide its table access ` +
        '(R/RW) and whether it starts lifecycles, completes tasks or sends mail',
    );
  }
  return access;
}
