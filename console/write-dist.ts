import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole, bundleWeight, FONT_DIR, FONT_PREFIX } from './build.js';

/**
 * `npm run console:build`: the console as static files in console/dist, or in the folder given
 * as the first argument (the CDK app builds it so into its asset: infra/constructs/console-deployment.ts).
 * No console-config.json: the deployment writes it with the stack's Cognito names, the local
 * server serves its own. Prints what the first screen weighs.
 */
const defaultOut = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const out = resolve(process.argv[2] ?? defaultOut);
// Only our own folder is cleared: a folder given (CDK's bundling output) starts empty.
if (out === defaultOut) await rm(out, { recursive: true, force: true });
const files = await buildConsole();
for (const [name, file] of files) {
  await mkdir(dirname(join(out, name)), { recursive: true });
  await writeFile(join(out, name), file.body);
}
for (const font of (await readdir(FONT_DIR)).filter((name) => name.endsWith('-400-normal.woff2'))) await copyFile(join(FONT_DIR, font), join(out, FONT_PREFIX, font));
const weight = bundleWeight(files);
console.log(`${out} written; first screen ${(weight.raw / 1024).toFixed(1)} KiB, ${(weight.gzip / 1024).toFixed(1)} KiB gzipped, plus the font subsets its text needs`);
