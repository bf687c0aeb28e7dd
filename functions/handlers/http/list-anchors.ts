import { routeLambda } from '../../http/http-handler.js';

/** The Lambda of route `list-anchors`: everything about it is declared in functions/http/routes.ts. */
export const handler = routeLambda('list-anchors');
