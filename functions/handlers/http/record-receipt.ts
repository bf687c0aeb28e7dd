import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { receiptSchema, policyIdParam } from '../../http/schemas.js';
import { recordReceipt } from '../../use-cases/record-receipt.js';

export const handler = httpHandler({
  route: 'record-receipt',
  params: { policyId: policyIdParam },
  body: receiptSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await recordReceipt(dependenciesFromEnv(), params.policyId, body, caller) }),
});
