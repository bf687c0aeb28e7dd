import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isSfnServiceError } from './errors.js';
import type { ExecutionDescription } from './execution-store.js';
import type { LocalStepFunctions } from './local-step-functions.js';

// The AWS JSON 1.0 protocol of Step Functions, so the REAL @aws-sdk/client-sfn (the product's
// adapter, unchanged) talks to the local engine over loopback:
//   POST /  x-amz-target: AWSStepFunctions.<Operation>  content-type: application/x-amz-json-1.0
// Errors: HTTP 400 + {"__type": "<namespace>#<ExceptionName>", "message"}. The SDK keeps the
// part after '#' (@smithy/core sanitizeErrorCode) and maps it to its exception class, whose
// `name` is then e.g. "ExecutionAlreadyExists". Timestamps are epoch seconds (JSON numbers).

const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model';

type Body = Record<string, unknown>;
type Operation = (sfn: LocalStepFunctions, body: Body) => Body;

const epochSeconds = (d: Date): number => d.getTime() / 1000;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function required(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new ValidationError(`1 validation error detected: '${field}' must not be null`);
  return v;
}

class ValidationError extends Error {
  override readonly name = 'ValidationException';
}

const operations: Record<string, Operation> = {
  StartExecution: (sfn, b) => {
    const start: { stateMachineArn: string; name?: string; input?: string } = { stateMachineArn: required(b, 'stateMachineArn') };
    const name = str(b.name);
    const input = str(b.input);
    if (name !== undefined) start.name = name;
    if (input !== undefined) start.input = input;
    const r = sfn.startExecution(start);
    return { executionArn: r.executionArn, startDate: epochSeconds(r.startDate) };
  },
  SendTaskSuccess: (sfn, b) => {
    sfn.sendTaskSuccess(required(b, 'taskToken'), required(b, 'output'));
    return {};
  },
  SendTaskFailure: (sfn, b) => {
    sfn.sendTaskFailure(required(b, 'taskToken'), str(b.error), str(b.cause));
    return {};
  },
  SendTaskHeartbeat: (sfn, b) => {
    sfn.sendTaskHeartbeat(required(b, 'taskToken'));
    return {};
  },
  StopExecution: (sfn, b) => {
    const r = sfn.stopExecution(required(b, 'executionArn'), str(b.error), str(b.cause));
    return { stopDate: epochSeconds(r.stopDate) };
  },
  DescribeExecution: (sfn, b) => describeBody(sfn.describeExecution(required(b, 'executionArn'))),
};

function describeBody(d: ExecutionDescription): Body {
  const body: Body = {
    executionArn: d.executionArn,
    stateMachineArn: d.stateMachineArn,
    name: d.name,
    status: d.status,
    startDate: epochSeconds(d.startDate),
    input: d.input,
    inputDetails: { included: true },
  };
  if (d.stopDate) body.stopDate = epochSeconds(d.stopDate);
  if (d.output !== undefined) Object.assign(body, { output: d.output, outputDetails: { included: true } });
  if (d.error !== undefined) body.error = d.error;
  if (d.cause !== undefined) body.cause = d.cause;
  return body;
}

export function createSfnRequestHandler(sfn: LocalStepFunctions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const send = (status: number, body: Body): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
      });
      res.end(text);
    };
    const fail = (status: number, type: string, message: string): void =>
      send(status, { __type: `${ERROR_NAMESPACE}#${type}`, message });
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET_PREFIX) ? operations[target.slice(TARGET_PREFIX.length)] : undefined;
      const text = await readBody(req);
      if (req.method !== 'POST' || !op) return fail(400, 'UnknownOperationException', `Unknown operation ${target}`);
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return fail(400, 'SerializationException', 'Request body is not valid JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return fail(400, 'SerializationException', 'Request body must be a JSON object');
      }
      send(200, op(sfn, body as Body));
    } catch (e) {
      if (isSfnServiceError(e)) return fail(400, e.code, e.message);
      if (e instanceof ValidationError) return fail(400, e.name, e.message);
      fail(500, 'InternalFailure', e instanceof Error ? e.message : String(e));
    }
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
