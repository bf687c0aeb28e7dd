import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalSes, type LocalSes } from '../../../infra/local/ses-local.js';
import { LOCAL_CREDENTIALS } from '../../../infra/local/loopback.js';
import { MAIL_ID_HEADER } from '../../../functions/adapters/ses/ses-notifier.js';

let ses: LocalSes | undefined;
let dir: string | undefined;
afterAll(async () => {
  await ses?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the local SES front', () => {
  it('keeps every one of many mails sent at once, each accepted at the first attempt', async () => {
    dir = await mkdtemp(join(tmpdir(), 'qc-ses-'));
    ses = await startLocalSes(join(dir, 'emails.jsonl'));
    // No SDK retry: a send the front answered 500 (it lost track of a mail) would fail here.
    const client = new SESv2Client({ endpoint: ses.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const ids = Array.from({ length: 100 }, (_, i) => `mail-${i}`);
    await Promise.all(ids.map((id) => client.send(new SendEmailCommand({
      FromEmailAddress: 'qc@insurer.example',
      Destination: { ToAddresses: ['bm@insurer.example'] },
      Content: { Simple: { Subject: { Data: id }, Body: { Text: { Data: id } }, Headers: [{ Name: MAIL_ID_HEADER, Value: id }] } },
    }))));
    client.destroy();
    expect((await ses.emails()).map((m) => m.subject).sort()).toEqual([...ids].sort());
  });
});
