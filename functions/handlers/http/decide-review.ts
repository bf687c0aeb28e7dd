import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { reviewDecisionSchema, policyIdParam } from '../../http/schemas.js';
import { decideReview } from '../../use-cases/decide-review.js';

export const handler = httpHandler({
  route: 'decide-review',
  params: { policyId: policyIdParam },
  body: reviewDecisionSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await decideReview(dependenciesFromEnv(), params.policyId, body, caller) }),
});
