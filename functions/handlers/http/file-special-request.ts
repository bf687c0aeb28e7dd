import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { policyIdParam, specialRequestSchema } from '../../http/schemas.js';
import { fileSpecialRequest } from '../../use-cases/file-special-request.js';

export const handler = httpHandler({
  route: 'file-special-request',
  params: { policyId: policyIdParam },
  body: specialRequestSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 201, body: await fileSpecialRequest(dependenciesFromEnv(), params.policyId, body, caller) }),
});
