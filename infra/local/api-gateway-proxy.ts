import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { openApiDocument } from '../../functions/http/openapi-document.js';
import type { AnyRoute } from '../../functions/http/route-definition.js';
import { ROUTES } from '../../functions/http/routes.js';

const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute {
  readonly spec: AnyRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const compiled: readonly CompiledRoute[] = ROUTES.map((spec) => {
  const names: string[] = [];
  // Route paths are letters, '-', '/' and {params}: nothing else needs escaping.
  const source = spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), names };
});

/** Runs an HTTP handler module (`http/<name>.ts`) with an API Gateway event, as Lambda would. */
export type HttpInvoker = (module: string, event: APIGatewayProxyEvent, functionName: string) => Promise<APIGatewayProxyResult>;

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function policyIdIn(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { policyId?: unknown };
    return typeof parsed.policyId === 'string' ? parsed.policyId : undefined;
  } catch {
    return undefined;
  }
}

const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });

/** Turns a loopback HTTP request into an API Gateway (REST, proxy) event for the route's handler. */
/** Waits, locally, until the work a successful request started has parked: its policy's lifecycle, or whatever the handler started. */
export type SettleAfter = (request: { readonly handler: string; readonly policyId?: string }) => Promise<void>;

let openApiJson: string | undefined;

export async function handleApiRequest(req: IncomingMessage, res: ServerResponse, url: URL, invoke: HttpInvoker, settleAfter: SettleAfter): Promise<void> {
  // The contract itself, open to all (on AWS the console deployment publishes the same document).
  if (url.pathname === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
    openApiJson ??= JSON.stringify(openApiDocument());
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : openApiJson);
    return;
  }
  const matches = compiled.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((m) => m.match);
  const hit = matches.find((m) => m.route.spec.method === req.method);
  if (!hit?.match) {
    if (matches.length > 0) {
      sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`), { allow: matches.map((m) => m.route.spec.method).join(', ') });
    } else {
      sendJson(res, 404, errorBody('NOT_FOUND', `no route ${req.method} ${url.pathname}`));
    }
    return;
  }
  let body: string | null;
  try {
    body = await readBody(req);
  } catch {
    sendJson(res, 413, errorBody('PAYLOAD_TOO_LARGE', `the body must be at most ${MAX_BODY_BYTES} bytes`));
    return;
  }
  const { route, match } = hit;
  const pathParameters: Record<string, string> = {};
  route.names.forEach((name, i) => {
    const raw = match[i + 1] ?? '';
    try {
      pathParameters[name] = decodeURIComponent(raw);
    } catch {
      pathParameters[name] = raw;
    }
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, name) => { query[name] = value; });
  const event = {
    resource: route.spec.path,
    path: url.pathname,
    httpMethod: route.spec.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), stage: 'local', httpMethod: route.spec.method, path: url.pathname, resourcePath: route.spec.path, identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' } },
  } as unknown as APIGatewayProxyEvent;
  const result = await invoke(`http/${route.spec.handler}.ts`, event, route.spec.handler);
  // Local determinism: answer once the lifecycle this request touched has moved on and parked,
  // so a script can act and read at once. (On AWS the execution moves on asynchronously.)
  const policyId = pathParameters.policyId ?? policyIdIn(result.body);
  if (result.statusCode < 300) await settleAfter({ handler: route.spec.handler, ...(policyId ? { policyId } : {}) });
  res.writeHead(result.statusCode, result.headers as Record<string, string> | undefined);
  res.end(result.body);
}
