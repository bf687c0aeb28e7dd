/** True when the client asks for CSV (`Accept: text/csv`, any parameters, any header case). */
export function acceptsCsv(headers: Readonly<Record<string, string | undefined>>): boolean {
  const accept = Object.entries(headers).find(([name]) => name.toLowerCase() === 'accept')?.[1] ?? '';
  return accept.split(',').some((type) => type.split(';')[0]?.trim().toLowerCase() === 'text/csv');
}
