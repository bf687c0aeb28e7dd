import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { correlatedDependencies, dependenciesFromEnv } from '../adapters/dependencies-from-env.js';
import { observedLambda } from '../adapters/lambda-observability.js';
import type { Dependencies } from '../use-cases/dependencies.js';
import { ForbiddenError, ValidationError } from '../use-cases/errors.js';
import { resolveCaller } from '../use-cases/staff/resolve-caller.js';
import { authenticateRequest } from './authenticate.js';
import { contentTypeOf, negotiateMediaType } from './content-negotiation.js';
import { toHttpError } from './error-map.js';
import { type AnyRoute, producesOf } from './route-definition.js';
import { type RouteName, routeNamed } from './routes.js';

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
 * One request through one route of the table: authenticate, authorise by the route's roles,
 * negotiate the media type, validate path, query and body by the route's schemas, run the
 * use case, and map errors once (docs/architecture.md §5). A route that offers more than one
 * media type says so in `Vary: Accept` on every answer.
 */
export async function serveRoute(route: AnyRoute, event: APIGatewayProxyEvent, deps: () => Dependencies): Promise<APIGatewayProxyResult> {
  const produces = producesOf(route);
  const vary: Record<string, string> = produces.length > 1 ? { vary: 'Accept' } : {};
  let target: string | undefined;
  try {
    const authenticated = authenticateRequest(event);
    if (!route.roles.includes(authenticated.caller.role)) throw new ForbiddenError(`role ${authenticated.caller.role} may not call ${route.method} ${route.path}`);
    // The subject's directory entry: its assigned roles and its branch scope (one read per request).
    const caller = await resolveCaller(deps(), authenticated.caller, authenticated.source);
    const mediaType = negotiateMediaType(event.headers, produces);
    const params: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(route.params?.shape ?? {})) {
      target = name;
      params[name] = schema.parse(event.pathParameters?.[name]);
    }
    target = 'query';
    const query = route.query ? route.query.parse(event.queryStringParameters ?? {}) : undefined;
    target = undefined;
    const body = route.body ? route.body.parse(parseJsonBody(event)) : undefined;
    const result = await route.run({ caller, params, query, body, mediaType }, deps());
    if ('text' in result) {
      return {
        statusCode: result.status,
        headers: { 'content-type': contentTypeOf(mediaType), 'content-disposition': `attachment; filename="${result.filename}"`, ...vary },
        body: result.text,
      };
    }
    return { statusCode: result.status, headers: { 'content-type': contentTypeOf('application/json'), ...vary }, body: JSON.stringify(result.body) };
  } catch (thrown) {
    const mapped = toHttpError(thrown, target === undefined ? {} : { zodTarget: target });
    return { statusCode: mapped.statusCode, headers: { 'content-type': contentTypeOf('application/json'), ...vary }, body: JSON.stringify(mapped.body) };
  }
}

export type RouteLambda = ((event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>) & { readonly route: RouteName };

/**
 * The Lambda entry of one route: `export const handler = routeLambda('<handler>')` is the
 * whole of `functions/handlers/http/<handler>.ts` (CDK bundles one function per file).
 */
export function routeLambda(handler: RouteName): RouteLambda {
  const route = routeNamed(handler);
  // The API Gateway request id correlates the logs and the workflow executions the request starts.
  const requestIdOf = (event: APIGatewayProxyEvent) => event.requestContext?.requestId;
  const lambda = observedLambda((event: APIGatewayProxyEvent) => serveRoute(route, event, () => correlatedDependencies(dependenciesFromEnv(), requestIdOf(event))), requestIdOf);
  return Object.assign(lambda, { route: handler });
}
