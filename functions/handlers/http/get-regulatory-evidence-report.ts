import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `get-regulatory-evidence-report`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('get-regulatory-evidence-report');
