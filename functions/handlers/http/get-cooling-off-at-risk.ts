import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `get-cooling-off-at-risk`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('get-cooling-off-at-risk');
