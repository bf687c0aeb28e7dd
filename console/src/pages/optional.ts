import type { PageContext } from '../context.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';
import { failure, section } from '../widgets.js';

type Row = Record<string, unknown>;

/** The list in an answer whose exact shape is still settling: an array, or the first array property. */
function rowsOf(body: unknown): Row[] {
  if (Array.isArray(body)) return body as Row[];
  if (body && typeof body === 'object') {
    const list = Object.values(body).find(Array.isArray);
    if (list) return list as Row[];
  }
  return [];
}

const cell = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * A panel for an endpoint other work adds (staff directory, integrity scores): hidden while the
 * API has no such route (404), the API's own refusal shown otherwise.
 */
export async function optionalPanel(context: PageContext, path: string, title: string, testId: string, columns: string[]): Promise<HTMLElement | null> {
  const response = await context.api.get<unknown>(path);
  if (response.status === 404) return null;
  if (!response.ok) return section(title, testId, failure(response));
  const rows = rowsOf(response.body);
  return section(title, testId, rows.length ? table(columns, rows.map((row) => columns.map((column) => cell(row[column])))) : h('p', { class: 'muted' }, t('none')));
}

export function currentQuarter(now: Date): string {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  return `${shanghai.getUTCFullYear()}-Q${Math.floor(shanghai.getUTCMonth() / 3) + 1}`;
}
