import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { policyIdParam } from '../../http/schemas.js';
import { getPolicyHistory } from '../../use-cases/audit-history.js';

export const handler = httpHandler({
  route: 'get-policy-history',
  params: { policyId: policyIdParam },
  run: async ({ params, caller }) => ({ statusCode: 200, body: await getPolicyHistory(dependenciesFromEnv(), params.policyId, caller) }),
});
