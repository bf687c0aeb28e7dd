import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';
import { getStoreReadonly } from 'aws-ses-v2-local/dist/store.js';
import { MAIL_ID_HEADER, SENT_AT_HEADER } from '../../functions/adapters/ses/ses-notifier.js';
import { logger } from '../../functions/adapters/logger.js';
import { type LocalEmail, LocalMailbox, type MailboxEntry } from './local-mailbox.js';
import { listen } from './loopback.js';

export type { LocalEmail } from './local-mailbox.js';

// The package is CommonJS with `exports.default`; under ESM interop the function sits on `.default`.
type StartSes = (config: { host: string; port: number }) => Promise<Server>;
const sesModule = sesLocalModule as unknown as { default?: StartSes } & StartSes;
const sesLocal: StartSes = sesModule.default ?? sesModule;

type StoredEmail = ReturnType<typeof getStoreReadonly>['emails'][number];

export interface LocalSes {
  readonly endpoint: string;
  /** The mails received, oldest first, each once, with the business time they were sent at. */
  emails(): Promise<LocalEmail[]>;
  close(): Promise<void>;
}

const SEND_PATH = '/v2/email/outbound-emails';
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'upgrade']);

const header = (e: StoredEmail, name: string) => e.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

function entryOf(e: StoredEmail): MailboxEntry {
  return {
    id: header(e, MAIL_ID_HEADER) ?? e.messageId,
    to: e.destination.to,
    subject: e.subject,
    text: e.body.text ?? '',
    ...(e.body.html ? { html: e.body.html } : {}),
    sentAt: header(e, SENT_AT_HEADER) ?? new Date(e.at * 1000).toISOString(),
  };
}

/**
 * aws-ses-v2-local on loopback behind a small front that keeps what it accepts on disk
 * (`<dataDir>/emails.jsonl`), so the mail survives a restart. The real SESv2 client talks to
 * the front; every request goes through to the stand-in unchanged, and a mail it accepted is
 * moved from its memory to the file before the client hears back.
 */
export async function startLocalSes(mailboxFile: string): Promise<LocalSes> {
  const mailbox = await LocalMailbox.open(mailboxFile);
  const inner = await sesLocal({ host: '127.0.0.1', port: 0 });
  if (!inner.listening) await new Promise((resolve) => inner.once('listening', resolve));
  const address = inner.address();
  if (!address || typeof address === 'string') throw new Error('aws-ses-v2-local did not report its port');
  const innerEndpoint = `http://127.0.0.1:${address.port}`;

  const front = createServer((req, res) => {
    forward(req, res, innerEndpoint, mailbox).catch((error: unknown) => {
      logger.error('local SES front failed', { error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'local SES could not store the mail' }));
    });
  });
  const endpoint = await listen(front);
  const closeServer = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); });
  return {
    endpoint,
    emails: () => mailbox.list(),
    async close() {
      await closeServer(front);
      await closeServer(inner);
    },
  };
}

async function forward(req: IncomingMessage, res: ServerResponse, innerEndpoint: string, mailbox: LocalMailbox): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.entries(req.headers).flatMap(([name, value]) => (value === undefined || HOP_BY_HOP.has(name) ? [] : [[name, String(value)] as [string, string]]));
  const method = req.method ?? 'GET';
  const response = await fetch(`${innerEndpoint}${req.url ?? '/'}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }) });
  const body = Buffer.from(await response.arrayBuffer());
  if (method === 'POST' && req.url?.split('?')[0] === SEND_PATH && response.status === 200) {
    const { MessageId: messageId } = JSON.parse(body.toString('utf8')) as { MessageId: string };
    const emails = getStoreReadonly().emails;
    const index = emails.findLastIndex((e) => e.messageId === messageId);
    const stored = emails[index];
    if (!stored) throw new Error(`aws-ses-v2-local accepted ${messageId} but does not hold it`);
    await mailbox.add(entryOf(stored));
    // The file is the mailbox now; the stand-in's copy would only grow its memory. Found again:
    // other sends removed theirs during the await, so `index` may point at another's mail now.
    const at = emails.indexOf(stored);
    if (at >= 0) emails.splice(at, 1);
  }
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => { if (!HOP_BY_HOP.has(name)) out[name] = value; });
  res.writeHead(response.status, out);
  res.end(body);
}
