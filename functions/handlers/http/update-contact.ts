import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `update-contact`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('update-contact');
