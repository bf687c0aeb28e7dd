import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { manualVisitSchema, policyIdParam } from '../../http/schemas.js';
import { recordManualVisit } from '../../use-cases/record-manual-visit.js';

export const handler = httpHandler({
  route: 'record-manual-visit',
  params: { policyId: policyIdParam },
  body: manualVisitSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await recordManualVisit(dependenciesFromEnv(), params.policyId, body, caller) }),
});
