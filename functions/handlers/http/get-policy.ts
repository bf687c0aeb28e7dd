import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { policyIdParam } from '../../http/schemas.js';
import { getPolicy } from '../../use-cases/read-policies.js';

export const handler = httpHandler({
  route: 'get-policy',
  params: { policyId: policyIdParam },
  run: async ({ params, caller }) => ({ statusCode: 200, body: await getPolicy(dependenciesFromEnv(), params.policyId, caller) }),
});
