/** What one call of the README's story must answer, read from its `# →` comment. */
export interface CallExpectation {
  readonly status: number;
  /** Substrings the answer must contain: `"key":value` pairs (a `…` ends a prefix) and `backticked` text. */
  readonly fragments: readonly string[];
  readonly comment: string;
}

export interface Story {
  readonly clockStart: Date;
  readonly script: string;
  readonly expectations: readonly CallExpectation[];
}

const STORY_HEADING = /^## Try it\b.*$/m;
const PAIR = /"[A-Za-z]+":(?:"[^"]*"|-?\d+(?:\.\d+)?|true|false|null)/g;
const BACKTICKED = /`([^`]+)`/g;

/**
 * The story section of the README: the clock start of its `npm start` line, its bash
 * block, and one expectation per call in order. A comment `# → 201 201 {…}` stands for two
 * calls (a loop), both answering 201 with the fields shown.
 */
export function parseStory(readme: string): Story {
  const heading = STORY_HEADING.exec(readme);
  if (!heading) throw new Error('README has no "## Try it" section');
  const section = readme.slice(heading.index + heading[0].length).split(/^## /m)[0] ?? '';
  const clock = /CLOCK_START=(\S+)/.exec(section)?.[1];
  if (!clock || Number.isNaN(new Date(clock).getTime())) throw new Error('the story section names no valid CLOCK_START');
  const script = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!script) throw new Error('the story section has no ```bash block');
  if (!/^API=/m.test(script)) throw new Error('the story block does not set API=');

  const expectations: CallExpectation[] = [];
  for (const line of script.split('\n')) {
    const comment = /# → (.*)$/.exec(line)?.[1];
    if (comment === undefined) continue;
    const statuses = /^(?:\d{3} )*\d{3}\b/.exec(comment)?.[0];
    if (!statuses) throw new Error(`a "# →" comment without a status: ${line}`);
    const fragments = [
      ...[...comment.matchAll(PAIR)].map((m) => m[0].split('…')[0] ?? m[0]),
      ...[...comment.matchAll(BACKTICKED)].map((m) => m[1] ?? ''),
    ];
    for (const status of statuses.split(' ')) expectations.push({ status: Number(status), fragments, comment });
  }
  return { clockStart: new Date(clock), script, expectations };
}
