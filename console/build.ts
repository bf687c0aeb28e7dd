import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file of the console as served: `/index.html`, `/assets/…`. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The CJK font (Noto Sans SC, regular) in unicode-range subsets: a page loads only the subsets its text uses. */
const FONT_CSS = require.resolve('@fontsource/noto-sans-sc/400.css');
export const FONT_DIR = join(dirname(FONT_CSS), 'files');
export const FONT_PREFIX = '/assets/fonts/';

/**
 * Builds the console in memory with esbuild (a few tens of milliseconds): the page, the
 * script and the styles. The font files are served from the npm package as they are.
 */
export async function buildConsole(): Promise<Map<string, ConsoleFile>> {
  const result = await build({
    entryPoints: { console: join(here, 'src/main.ts'), 'console-style': join(here, 'src/styles.css') },
    bundle: true,
    minify: true,
    format: 'esm',
    // The Cognito sign-in (oidc-client-ts) is a chunk of its own, loaded only on AWS (console/src/auth.ts).
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: 'es2022',
    write: false,
    outdir: '/assets',
    logLevel: 'silent',
    tsconfig: join(here, 'tsconfig.json'),
  });
  const files = new Map<string, ConsoleFile>();
  for (const output of result.outputFiles) {
    // The entry keeps its name (`/assets/console.js`); a chunk's name carries its content hash.
    const name = output.path.endsWith('.css') ? '/assets/console.css' : output.path;
    files.set(name, { body: Buffer.from(output.contents), contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' });
  }
  files.set('/index.html', { body: await readFile(join(here, 'index.html')), contentType: 'text/html; charset=utf-8' });
  // woff2 only: every browser the console targets reads it.
  const fontCss = (await readFile(FONT_CSS, 'utf8')).replace(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\), url\([^)]+\) format\('woff'\)/g, `url(${FONT_PREFIX}$1) format('woff2')`);
  files.set(`${FONT_PREFIX}noto-sans-sc.css`, { body: Buffer.from(fontCss), contentType: 'text/css; charset=utf-8' });
  return files;
}

/** What the first screen downloads before it runs (page, script, styles), raw and gzipped. */
export function bundleWeight(files: Map<string, ConsoleFile>): { raw: number; gzip: number } {
  let raw = 0, gzip = 0;
  for (const name of ['/index.html', '/assets/console.js', '/assets/console.css', `${FONT_PREFIX}noto-sans-sc.css`]) {
    const body = files.get(name)?.body;
    if (!body) continue;
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { raw, gzip };
}
