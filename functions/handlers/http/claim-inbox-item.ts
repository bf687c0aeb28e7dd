import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `claim-inbox-item`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('claim-inbox-item');
