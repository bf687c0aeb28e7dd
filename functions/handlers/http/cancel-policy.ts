import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `cancel-policy`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('cancel-policy');
