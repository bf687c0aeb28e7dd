import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { openApiFiles } from './openapi-files.js';

/**
 * `npm run openapi`: writes docs/openapi.json and docs/api-reference.md from the route table
 * (functions/http/routes.ts). A test fails while the committed files differ from these.
 */
for (const file of openApiFiles()) {
  await mkdir(dirname(join(REPO_ROOT, file.path)), { recursive: true });
  await writeFile(join(REPO_ROOT, file.path), file.text);
  console.log(`wrote ${file.path}`);
}
