import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `get-staff-history`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('get-staff-history');
