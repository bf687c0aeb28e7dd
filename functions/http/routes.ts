import type { Role } from '../use-cases/caller.js';

/**
 * The HTTP API of API.md, declared once: the local server routes by it and the CDK stack
 * builds API Gateway resources and one Lambda per handler from it.
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** API Gateway style path, e.g. `/v1/policies/{policyId}`. */
  readonly path: string;
  /** File name (without extension) under `functions/handlers/http/`. */
  readonly handler: string;
  /** Roles allowed; everyone else gets 403. */
  readonly roles: readonly Role[];
}

const READERS: readonly Role[] = ['auditor', 'manager', 'agent', 'callcentre', 'branch', 'compliance'];
/** The audit trail: auditors, the managers and compliance who answer for it, an agent for own policies. */
const HISTORY_READERS: readonly Role[] = ['auditor', 'manager', 'compliance', 'agent'];
const AUDIT_SEARCHERS: readonly Role[] = ['auditor', 'compliance', 'manager'];

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/policies', handler: 'register-policy', roles: ['upstream'] },
  { method: 'POST', path: '/v1/policies/{policyId}/receipt', handler: 'record-receipt', roles: ['upstream'] },
  { method: 'POST', path: '/v1/policies/{policyId}/cancellation', handler: 'cancel-policy', roles: ['upstream'] },
  { method: 'GET', path: '/v1/callbacks/due', handler: 'list-due-callbacks', roles: ['callcentre'] },
  { method: 'POST', path: '/v1/policies/{policyId}/callback-attempts', handler: 'record-callback-attempt', roles: ['callcentre'] },
  { method: 'PUT', path: '/v1/policies/{policyId}/contact', handler: 'update-contact', roles: ['agent'] },
  { method: 'POST', path: '/v1/policies/{policyId}/special-requests', handler: 'file-special-request', roles: ['agent'] },
  { method: 'POST', path: '/v1/special-requests/{requestId}/decision', handler: 'decide-special-request', roles: ['branch'] },
  { method: 'GET', path: '/v1/manual-visits/open', handler: 'list-open-manual-visits', roles: ['branch', 'manager'] },
  { method: 'POST', path: '/v1/policies/{policyId}/manual-visit', handler: 'record-manual-visit', roles: ['branch'] },
  { method: 'GET', path: '/v1/reviews/open', handler: 'list-open-reviews', roles: ['compliance', 'manager'] },
  { method: 'POST', path: '/v1/policies/{policyId}/review', handler: 'decide-review', roles: ['compliance'] },
  { method: 'GET', path: '/v1/policies/{policyId}', handler: 'get-policy', roles: READERS },
  { method: 'GET', path: '/v1/policies/{policyId}/history', handler: 'get-policy-history', roles: HISTORY_READERS },
  { method: 'GET', path: '/v1/policies/{policyId}/history/verify', handler: 'verify-policy-history', roles: HISTORY_READERS },
  { method: 'GET', path: '/v1/audit/events', handler: 'search-audit-events', roles: AUDIT_SEARCHERS },
  { method: 'GET', path: '/v1/audit/access-log', handler: 'list-access-log', roles: ['auditor'] },
  { method: 'GET', path: '/v1/reports/false-contact', handler: 'get-false-contact-report', roles: ['manager', 'compliance', 'auditor'] },
  { method: 'GET', path: '/v1/reports/quality', handler: 'get-quality-report', roles: ['manager', 'compliance', 'auditor', 'branch'] },
  { method: 'POST', path: '/v1/settlements', handler: 'run-settlement', roles: ['manager'] },
  { method: 'GET', path: '/v1/settlements/{month}', handler: 'get-settlement', roles: ['manager', 'auditor'] },
];
