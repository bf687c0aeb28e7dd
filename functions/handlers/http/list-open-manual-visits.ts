import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `list-open-manual-visits`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('list-open-manual-visits');
