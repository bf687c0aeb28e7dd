import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `verify-policy-history`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('verify-policy-history');
