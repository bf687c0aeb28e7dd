import { join } from 'node:path';
import { openApiDocument } from '../../functions/http/openapi-document.js';
import { renderApiReference } from './api-reference.js';

/** The generated contract files, relative to the repository root (`npm run openapi` writes them). */
export function openApiFiles(): { readonly path: string; readonly text: string }[] {
  const doc = openApiDocument();
  return [
    { path: join('docs', 'openapi.json'), text: `${JSON.stringify(doc, null, 2)}\n` },
    { path: join('docs', 'api-reference.md'), text: renderApiReference(doc) },
  ];
}
