import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleHandler } from '../../../infra/local/console-assets.js';

/** The console's files as the local server serves them (infra/local/console-assets.ts), before the API's 404. */
let server: Server;
let base: string;

beforeAll(async () => {
  const serve = createConsoleHandler();
  server = createServer((req, res) => {
    void serve(req, res, new URL(req.url ?? '/', 'http://localhost')).then((served) => {
      if (!served) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"code":"NOT_FOUND"}}'); }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the local console files', () => {
  it.each(['/', '/index.html', '/policies/P-1001', '/policies/P-1001/'])('%s is the single page, no credential needed', async (path) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).toContain('/assets/console.js');
  });

  it('serves the bundle, the styles, the font faces with their subsets, and the local config', async () => {
    const js = await fetch(`${base}/assets/console.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('console-ready');
    const faces = await (await fetch(`${base}/assets/fonts/noto-sans-sc.css`)).text();
    const subset = /url\(\/assets\/fonts\/(noto-sans-sc-[a-z0-9-]+\.woff2)\)/.exec(faces)?.[1];
    expect(faces).toContain('unicode-range');
    expect(faces).not.toContain('.woff)'); // woff2 only
    const font = await fetch(`${base}/assets/fonts/${subset}`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(await (await fetch(`${base}/console-config.json`)).json()).toEqual({ mode: 'local', apiBase: '' });
  });

  it('leaves every other path to the API (its 404), traversal attempts included', async () => {
    for (const path of ['/assets/missing.js', '/assets/fonts/..%2F..%2Fpackage.json', '/assets/fonts/package.json', '/policies/P-1/history', '/favicon.ico']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toBe('application/json');
    }
  });

  it('answers HEAD without a body and ignores other methods', async () => {
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });
});
