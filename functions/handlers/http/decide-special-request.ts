import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `decide-special-request`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('decide-special-request');
