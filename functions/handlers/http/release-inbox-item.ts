import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `release-inbox-item`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('release-inbox-item');
