import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `put-staff`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('put-staff');
