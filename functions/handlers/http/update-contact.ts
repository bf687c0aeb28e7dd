import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { contactUpdateSchema, policyIdParam } from '../../http/schemas.js';
import { updateContact } from '../../use-cases/update-contact.js';

export const handler = httpHandler({
  route: 'update-contact',
  params: { policyId: policyIdParam },
  body: contactUpdateSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await updateContact(dependenciesFromEnv(), params.policyId, body, caller) }),
});
