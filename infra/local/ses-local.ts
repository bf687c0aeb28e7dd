import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';
import { SENT_AT_HEADER } from '../../functions/adapters/ses/ses-notifier.js';

// The package is CommonJS with `exports.default`; under ESM interop the function sits on `.default`.
type StartSes = (config: { host: string; port: number }) => Promise<Server>;
const sesModule = sesLocalModule as unknown as { default?: StartSes } & StartSes;
const sesLocal: StartSes = sesModule.default ?? sesModule;

export interface LocalEmail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly sentAt: string;
}

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

export interface LocalSes {
  readonly endpoint: string;
  /** The mails received, oldest first, with the business time they were sent at. */
  emails(): Promise<LocalEmail[]>;
  close(): Promise<void>;
}

/** aws-ses-v2-local on loopback: the real SESv2 client sends to it; it keeps mails in memory. */
export async function startLocalSes(): Promise<LocalSes> {
  const server = await sesLocal({ host: '127.0.0.1', port: 0 });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('aws-ses-v2-local did not report its port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    async emails() {
      const response = await fetch(`${endpoint}/store`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      return emails.map((e) => ({
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text ?? '',
        ...(e.body.html ? { html: e.body.html } : {}),
        sentAt: e.headers?.find((h) => h.name === SENT_AT_HEADER)?.value ?? new Date(e.at * 1000).toISOString(),
      }));
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
