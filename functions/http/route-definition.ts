import type { z } from 'zod';
import type { Caller, Role } from '../use-cases/caller.js';
import type { Dependencies } from '../use-cases/dependencies.js';

/**
 * The shape of one endpoint in the route table (functions/http/routes.ts). Everything about
 * an endpoint is declared there once: the Lambda wrapper, the IAM grants, API Gateway's
 * request models and the OpenAPI document are all derived from it.
 */

/** Media types a route can answer with; the first is the default when the client does not care. */
export type MediaType = 'application/json' | 'text/csv';

/**
 * What the route's Lambda may touch beyond its own log group (infra/constructs/http-access.ts
 * turns it into IAM statements).
 */
export interface HandlerAccess {
  /** `R`: get/query only; `RW`: also put/update/delete items. */
  readonly table: 'R' | 'RW';
  /** Starts lifecycle executions (`states:StartExecution` on the lifecycle machine). */
  readonly startsLifecycle?: boolean;
  /** Completes waiting tasks (`states:SendTaskSuccess`/`SendTaskFailure`). */
  readonly completesTasks?: boolean;
  /** Sends notifications (`ses:SendEmail` from the identity through the configuration set). */
  readonly sendsMail?: boolean;
  /**
   * Reads the audit trail and records the read first (docs/rules.md §7): `dynamodb:PutItem`
   * on access-log items only, beside read-only table access.
   */
  readonly recordsReads?: boolean;
  /** Starts and inspects settlement executions (`states:StartExecution`/`DescribeExecution` on the settlement machine). */
  readonly startsSettlement?: boolean;
  /** The write-once archive bucket: `R` get/list, `RW` also put (never delete). */
  readonly archive?: 'R' | 'RW';
}

/** One success status: its JSON body schema and what it means. */
export interface SuccessResponse<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly description: string;
}

export type Responses = Readonly<Record<number, SuccessResponse>>;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteRequest<P, Q, B> {
  readonly caller: Caller;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The media type negotiated from `Accept` among the route's `produces`. */
  readonly mediaType: MediaType;
}

/** What a handler may hand over for a schema: the same data, arrays and objects possibly readonly. */
export type Wire<T> = T extends readonly (infer E)[] ? readonly Wire<E>[] : T extends object ? { readonly [K in keyof T]: Wire<T[K]> } : T;

/** A JSON answer: one of the declared statuses, with a body of that status's schema. */
export type JsonResult<R extends Responses> = {
  [S in keyof R & number]: { readonly status: S; readonly body: Wire<z.input<R[S]['schema']>> };
}[keyof R & number];

/** A text answer (CSV) in the negotiated media type, offered as a download named `filename`. */
export interface TextResult {
  readonly status: 200;
  readonly text: string;
  readonly filename: string;
}

export type RouteResult<R extends Responses> = JsonResult<R> | TextResult;

export interface RouteSpec<
  N extends string = string,
  PS extends z.ZodObject | undefined = undefined,
  QS extends z.ZodObject | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  R extends Responses = Responses,
> {
  /** The route's name: its Lambda's entry file `functions/handlers/http/<handler>.ts`, and the OpenAPI operationId. */
  readonly handler: N;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway style path, e.g. `/v1/policies/{policyId}`. */
  readonly path: string;
  /** One line for the reference. */
  readonly summary: string;
  readonly description?: string;
  /** Roles allowed; everyone else gets 403. */
  readonly roles: readonly Role[];
  readonly access: HandlerAccess;
  /** Path parameters (each a string schema; 400 names the parameter). */
  readonly params?: PS;
  readonly query?: QS;
  /** The JSON request body. */
  readonly body?: BS;
  /** JSON body per success status; every error is the one error schema. */
  readonly responses: R;
  /**
   * Media types of the 200 answer, first the default.
   * @default ['application/json']
   */
  readonly produces?: readonly [MediaType, ...MediaType[]];
  /**
   * Error statuses beyond those that follow from the route's shape (see `errorStatusesOf`).
   * @default none
   */
  readonly moreErrors?: readonly (409 | 422)[];
  /** Method syntax on purpose: a table of differently typed routes is one `readonly RouteSpec[]`. */
  run(request: RouteRequest<Infer<PS>, Infer<QS>, Infer<BS>>, deps: Dependencies): Promise<RouteResult<R>>;
}

/** Any route of the table, its schemas' types forgotten: what the wrapper, IAM and the document read. */
export interface AnyRoute extends Omit<RouteSpec, 'params' | 'query' | 'body' | 'responses' | 'run'> {
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly responses: Responses;
  run(request: RouteRequest<unknown, unknown, unknown>, deps: Dependencies): Promise<{ readonly status: number; readonly body: unknown } | TextResult>;
}

/** Declares a route with its types inferred from its schemas, so `run` is checked against them. */
export function defineRoute<
  const N extends string,
  PS extends z.ZodObject | undefined = undefined,
  QS extends z.ZodObject | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  const R extends Responses = Responses,
>(spec: RouteSpec<N, PS, QS, BS, R>): RouteSpec<N, PS, QS, BS, R> {
  return spec;
}

export function producesOf(route: Pick<AnyRoute, 'produces'>): readonly MediaType[] {
  return route.produces ?? ['application/json'];
}

/**
 * The error statuses a route can answer (all in the one error shape): bad input, credentials,
 * role, Accept, throttling and internal errors everywhere; 404 where a path names a resource;
 * 413 where a body is sent; 409 and 422 for commands, which meet the current state and the
 * business rules.
 */
export function errorStatusesOf(route: Pick<AnyRoute, 'method' | 'path' | 'body' | 'moreErrors'>): number[] {
  const statuses = new Set([400, 401, 403, 406, 429, 500]);
  if (pathParamsOf(route.path).length > 0) statuses.add(404);
  if (route.body) statuses.add(413);
  if (route.method !== 'GET') [409, 422].forEach((s) => statuses.add(s));
  for (const s of route.moreErrors ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

/** The query parameters, each with its schema and whether it must be sent (no default, not optional). */
export function queryParamsOf(route: Pick<AnyRoute, 'query'>): { readonly name: string; readonly schema: z.ZodType; readonly required: boolean }[] {
  return Object.entries((route.query?.shape ?? {}) as Record<string, z.ZodType>).map(([name, schema]) => ({ name, schema, required: !schema.safeParse(undefined).success }));
}

/** Path parameter names in order of appearance. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}
