import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `decide-archive-access`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('decide-archive-access');
