import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `run-settlement`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('run-settlement');
