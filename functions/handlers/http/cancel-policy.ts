import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { cancellationSchema, policyIdParam } from '../../http/schemas.js';
import { cancelPolicy } from '../../use-cases/cancel-policy.js';

export const handler = httpHandler({
  route: 'cancel-policy',
  params: { policyId: policyIdParam },
  body: cancellationSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await cancelPolicy(dependenciesFromEnv(), params.policyId, body, caller) }),
});
