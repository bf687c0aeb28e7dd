/** True when the client asks for CSV (`Accept: text/csv`); JSON otherwise. */
export function acceptsCsv(headers: Readonly<Record<string, string | undefined>>): boolean {
  const accept = headers.accept ?? headers.Accept ?? '';
  return accept.split(',').some((type) => type.trim().toLowerCase().startsWith('text/csv'));
}
