import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `search-audit-events`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('search-audit-events');
