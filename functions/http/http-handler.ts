import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { ForbiddenError, ValidationError } from '../use-cases/errors.js';
import type { Caller } from '../use-cases/caller.js';
import { authenticate } from './authenticate.js';
import { toHttpError } from './error-map.js';
import { ROUTES } from './routes.js';

export interface HttpRequest<B, Q, P extends string> {
  readonly caller: Caller;
  readonly body: B;
  readonly query: Q;
  readonly params: Readonly<Record<P, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpHandlerSpec<BS extends z.ZodType, QS extends z.ZodType, P extends string> {
  /** The `handler` name in ROUTES: the allowed roles come from there, declared once. */
  readonly route: string;
  readonly body?: BS;
  readonly query?: QS;
  /** Path parameters, each validated by its schema (400 naming the parameter). */
  readonly params?: Readonly<Record<P, z.ZodType<string>>>;
  readonly run: (request: HttpRequest<z.infer<BS>, z.infer<QS>, P>) => Promise<HttpResponse>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new ValidationError('request body is required', [{ field: '(body)', rule: 'required', message: 'a JSON body is required' }]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('request body is not valid JSON', [{ field: '(body)', rule: 'json', message: 'the body must be valid JSON' }]);
  }
}


/**
 * Every HTTP Lambda is this middy chain around a use case: authenticate, authorise by the
 * route's roles, parse and validate, run, and map errors once (ARCHITECTURE.md §5).
 */
export function httpHandler<BS extends z.ZodType = z.ZodUndefined, QS extends z.ZodType = z.ZodUndefined, P extends string = never>(
  spec: HttpHandlerSpec<BS, QS, P>,
) {
  const route = ROUTES.find((r) => r.handler === spec.route);
  if (!route) throw new Error(`no route declares handler ${spec.route}`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
    let target = 'body';
    try {
      const caller = authenticate(event);
      if (!route.roles.includes(caller.role)) {
        throw new ForbiddenError(`role ${caller.role} may not call ${route.method} ${route.path}`);
      }
      const params = {} as Record<P, string>;
      for (const [name, schema] of Object.entries(spec.params ?? {}) as [P, z.ZodType<string>][]) {
        target = name;
        params[name] = schema.parse(event.pathParameters?.[name]);
      }
      target = 'query';
      const query = spec.query ? spec.query.parse(event.queryStringParameters ?? {}) : (undefined as z.infer<QS>);
      target = 'body';
      const body = spec.body ? spec.body.parse(parseJsonBody(event)) : (undefined as z.infer<BS>);
      const response = await spec.run({ caller, body, query, params, headers: event.headers ?? {} });
      const isText = typeof response.body === 'string';
      return {
        statusCode: response.statusCode,
        headers: { ...(isText ? {} : JSON_HEADERS), ...response.headers },
        body: isText ? (response.body as string) : JSON.stringify(response.body),
      };
    } catch (thrown) {
      const mapped = toHttpError(thrown, { zodTarget: target === 'body' ? undefined : target });
      return { statusCode: mapped.statusCode, headers: JSON_HEADERS, body: JSON.stringify(mapped.body) };
    }
  });
}
