import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `decide-review`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('decide-review');
