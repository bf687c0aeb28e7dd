import Negotiator from 'negotiator';
import type { MediaType } from './route-definition.js';

/** The client's `Accept` allows none of the media types the route can produce (406). */
export class NotAcceptableError extends Error {
  override readonly name = 'NotAcceptableError';
  constructor(readonly acceptable: readonly MediaType[]) {
    super(`this resource is available as ${acceptable.join(' or ')}; the Accept header allows none of them`);
  }
}

/** The Content-Type each media type is sent with. */
export function contentTypeOf(mediaType: MediaType): string {
  return `${mediaType}; charset=utf-8`;
}

/**
 * The media type to answer with, by the `Accept` header's preferences and q-values (q=0
 * excludes a type); the first of `produces` when the client states none. Header names are
 * matched in any case, as API Gateway passes them on as sent.
 */
export function negotiateMediaType(headers: Readonly<Record<string, string | undefined>> | null | undefined, produces: readonly MediaType[]): MediaType {
  const accept = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'accept')?.[1];
  if (accept === undefined || accept.trim() === '') return produces[0] as MediaType;
  // Offered with their charset, so `text/csv; charset=utf-8` is accepted and another charset is not.
  const chosen = new Negotiator({ headers: { accept } }).mediaType(produces.map(contentTypeOf));
  const match = produces.find((type) => contentTypeOf(type) === chosen);
  if (!match) throw new NotAcceptableError(produces);
  return match;
}
