import type { z } from 'zod';
import { type JsonSchema, openApiSchema } from './json-schema.js';
import { type AnyRoute, errorStatusesOf, pathParamsOf, producesOf, queryParamsOf } from './route-definition.js';
import { errorResponse } from './response-schemas.js';
import { ROUTES } from './routes.js';

/**
 * The OpenAPI 3.1 document of the route table: served locally at `GET /openapi.json`, written
 * to docs/openapi.json by `npm run openapi`, and the schema the e2e tests check every real
 * response against. Built from the table alone, so it cannot drift from what runs.
 */
export type OpenApiDocument = JsonSchema & { readonly paths: Record<string, Record<string, JsonSchema>> };

/** What each error status means; which a route can answer is `errorStatusesOf(route)`. */
const ERROR_STATUSES: Readonly<Record<number, string>> = {
  400: 'invalid input: the details name each bad field and the rule',
  401: 'no or unrecognised credentials',
  403: 'the role may not call this route, or the policy is not the caller’s own',
  404: 'unknown resource',
  406: 'the Accept header allows none of the media types offered',
  409: 'conflict with the current state, or a replayed id with another body',
  413: 'the body is too large',
  422: 'valid, but against a business rule (the code names it)',
  429: 'throttled: retry later',
  500: 'internal error; it has been logged',
};

const securitySchemeName = 'roleCredential';

/** `x-roles`: who may call; `x-access`: what the route's function may touch (the IAM it gets). */
function operationOf(route: AnyRoute, components: Record<string, JsonSchema>): JsonSchema {
  const parameters: JsonSchema[] = [];
  const paramShape = (route.params?.shape ?? {}) as Record<string, z.ZodType>;
  for (const name of pathParamsOf(route.path)) {
    const schema = paramShape[name];
    if (!schema) throw new Error(`${route.method} ${route.path}: path parameter ${name} has no schema`);
    parameters.push({ name, in: 'path', required: true, schema: openApiSchema(schema, 'input', components) });
  }
  for (const { name, schema, required } of queryParamsOf(route)) {
    const { description, ...rest } = openApiSchema(schema, 'input', components);
    parameters.push({ name, in: 'query', required, ...(description ? { description } : {}), schema: rest });
  }
  const produces = producesOf(route);
  const responses: JsonSchema = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content: JsonSchema = { 'application/json': { schema: openApiSchema(response.schema, 'output', components) } };
    if (status === '200') for (const type of produces.filter((t) => t !== 'application/json')) content[type] = { schema: { type: 'string' } };
    responses[status] = {
      description: response.description,
      ...(produces.length > 1 ? { headers: { Vary: { $ref: '#/components/headers/Vary' } } } : {}),
      content,
    };
  }
  for (const status of errorStatusesOf(route)) responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  return {
    operationId: route.handler,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.path.split('/')[2] ?? 'v1'],
    'x-roles': [...route.roles],
    'x-access': route.access,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(route.body, 'input', components) } } } } : {}),
    responses,
    security: [{ [securitySchemeName]: [] }],
  };
}

export function openApiDocument(routes: readonly AnyRoute[] = ROUTES, version = '1'): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationOf(route, schemas);
  }
  const error = openApiSchema(errorResponse, 'output', schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Policy callback QC API',
      version,
      description:
        'New-policy quality control: callbacks, contact updates, manual visits, commission holds, settlement and audit. ' +
        'Generated from functions/http/routes.ts (`npm run openapi`); do not edit by hand. ' +
        'Times are ISO-8601 with offset, money a decimal string in CNY, ids 1-64 characters of [A-Za-z0-9_-]. ' +
        '`x-roles` lists the roles that may call an operation.',
    },
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.entries(ERROR_STATUSES).map(([status, description]) => [`Error${status}`, { description, content: { 'application/json': { schema: error } } }]),
      ),
      headers: { Vary: { description: 'Accept: the representation depends on the Accept header', schema: { type: 'string' } } },
      securitySchemes: {
        [securitySchemeName]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'On AWS: SigV4 (AWS_IAM) with the credentials of the per-role IAM role `<prefix>-<role>`, the session name being the subject. ' +
            'Locally: `Authorization: Bearer local:<role>[:<subject>]`.',
        },
      },
    },
  } as OpenApiDocument;
}
