import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildConsole, FONT_DIR, FONT_PREFIX, type ConsoleFile } from '../../console/build.js';

/** The console's pages: `/` and the deep link `/policies/{policyId}` both get the single page. */
const PAGE = /^\/(?:index\.html|policies\/[A-Za-z0-9_-]{1,64}\/?)?$/;
const FONT_FILE = /^noto-sans-sc-[a-z0-9-]+-400-normal\.woff2$/;
const LOCAL_CONFIG = Buffer.from(JSON.stringify({ mode: 'local', apiBase: '' }));

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/**
 * Serves the web console (docs/console.md) next to the API, without a credential: the files
 * are public, every API call the page makes carries the signed-in person's. Built once with
 * esbuild when the server starts; answers false for any path that is not the console's.
 */
export function createConsoleHandler(): ConsoleHandler {
  const built = buildConsole();
  built.catch(() => undefined); // reported on the first request that needs it
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let file: ConsoleFile | undefined;
    let cache = 'no-cache';
    if (PAGE.test(url.pathname)) file = (await built).get('/index.html');
    else if (url.pathname === '/console-config.json') file = { body: LOCAL_CONFIG, contentType: 'application/json; charset=utf-8' };
    else if (url.pathname.startsWith(FONT_PREFIX) && FONT_FILE.test(url.pathname.slice(FONT_PREFIX.length))) {
      file = { body: await readFile(join(FONT_DIR, url.pathname.slice(FONT_PREFIX.length))), contentType: 'font/woff2' };
      cache = 'public, max-age=31536000, immutable'; // the file name is the package's versioned subset
    } else if (url.pathname.startsWith('/assets/')) file = (await built).get(url.pathname);
    if (!file) return false;
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, 'cache-control': cache, 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
