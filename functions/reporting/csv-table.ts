import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number;

/**
 * The one CSV writer of the exports (payroll statement, false-contact report): RFC 4180
 * quoting and CRLF line ends by csv-stringify, and spreadsheet formula injection defused —
 * a cell starting with `=`, `+`, `-`, `@`, a tab or CR (ids may start with `-`) gets a
 * leading `'`, so a spreadsheet shows it as text instead of evaluating it. Every row ends
 * with CRLF, so pages of rows can be concatenated.
 */
export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  if (rows.length === 0) return '';
  return stringify(rows.map((row) => [...row]), { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true });
}
