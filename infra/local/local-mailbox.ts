import { appendFile, readFile } from 'node:fs/promises';

/** One mail as `GET /_local/emails` lists it. */
export interface LocalEmail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly sentAt: string;
}

/** A line of the mailbox file: the mail and the deterministic id it is recognised by. */
export interface MailboxEntry extends LocalEmail {
  readonly id: string;
}

/**
 * The local stand-in's mail on disk: a JSON-lines file, one mail per line in the order they
 * were accepted, each id once (a resend after a crash carries the same id and is not listed
 * twice). A line is written before the sender hears "accepted", so a kill -9 loses no mail
 * the system believes sent. A line torn by a kill is skipped when read.
 */
export class LocalMailbox {
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string, private readonly ids: Set<string>) {}

  static async open(file: string): Promise<LocalMailbox> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    // A torn last line is closed off, so the next mail starts a line of its own.
    if (text.length > 0 && !text.endsWith('\n')) await appendFile(file, '\n');
    return new LocalMailbox(file, new Set(parse(text).map((m) => m.id)));
  }

  /** Appends the mail unless its id is already there; resolves once it is in the file. */
  add(entry: MailboxEntry): Promise<void> {
    const write = this.writing.then(async () => {
      if (this.ids.has(entry.id)) return;
      await appendFile(this.file, `${JSON.stringify(entry)}\n`);
      this.ids.add(entry.id);
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Every mail accepted, oldest first. */
  async list(): Promise<LocalEmail[]> {
    await this.writing;
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return parse(text).map(({ id: _id, ...mail }) => mail);
  }
}

function parse(text: string): MailboxEntry[] {
  const entries: MailboxEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as MailboxEntry);
    } catch {
      // A line torn by a kill -9 mid-write: its mail was never reported accepted.
    }
  }
  return entries;
}
