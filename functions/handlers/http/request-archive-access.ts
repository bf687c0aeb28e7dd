import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `request-archive-access`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('request-archive-access');
