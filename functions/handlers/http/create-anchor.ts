import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `create-anchor`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('create-anchor');
