/**
 * The last lines a process printed, for a dump when it stalls: a long run prints too much to
 * keep it all, and the lines before a stall are the ones that say what it was doing.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly keep: number, private readonly onLine: (line: string) => void = () => undefined) {}

  /** Chunks split lines anywhere: an incomplete last line waits for the next chunk. */
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  last(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
    this.onLine(line);
  }
}
