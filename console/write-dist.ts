import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole, bundleWeight, FONT_DIR, FONT_PREFIX } from './build.js';

/**
 * `npm run console:build`: the console as static files in console/dist, for the S3 bucket of
 * infra/constructs/console-hosting.ts. COGNITO_DOMAIN and COGNITO_CLIENT_ID name the Cognito
 * hosted UI in console-config.json; without them the build is for local mode. The API is on
 * the console's own origin either way (CloudFront routes `/v1/*` to it). Prints what the
 * first screen weighs.
 */
const out = join(dirname(fileURLToPath(import.meta.url)), 'dist');
await rm(out, { recursive: true, force: true });
const files = await buildConsole();
for (const [name, file] of files) {
  await mkdir(dirname(join(out, name)), { recursive: true });
  await writeFile(join(out, name), file.body);
}
for (const font of (await readdir(FONT_DIR)).filter((name) => name.endsWith('-400-normal.woff2'))) await copyFile(join(FONT_DIR, font), join(out, FONT_PREFIX, font));
const { COGNITO_DOMAIN: domain, COGNITO_CLIENT_ID: clientId } = process.env;
const config = domain && clientId ? { mode: 'cognito', apiBase: '', cognito: { domain, clientId } } : { mode: 'local', apiBase: '' };
await writeFile(join(out, 'console-config.json'), JSON.stringify(config));
const weight = bundleWeight(files);
console.log(`console/dist written (${config.mode}); first screen ${(weight.raw / 1024).toFixed(1)} KiB, ${(weight.gzip / 1024).toFixed(1)} KiB gzipped, plus the font subsets its text needs`);
