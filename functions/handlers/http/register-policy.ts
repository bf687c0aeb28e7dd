import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { registerPolicySchema } from '../../http/schemas.js';
import { registerPolicy } from '../../use-cases/register-policy.js';

export const handler = httpHandler({
  route: 'register-policy',
  body: registerPolicySchema,
  run: async ({ body, caller }) => {
    const { created, view } = await registerPolicy(dependenciesFromEnv(), body, caller);
    return { statusCode: created ? 201 : 200, body: view };
  },
});
