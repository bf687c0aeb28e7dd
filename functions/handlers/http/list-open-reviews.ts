import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `list-open-reviews`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('list-open-reviews');
