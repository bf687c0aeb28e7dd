/**
 * Sort keys of the audit indexes and the access log: time first, so a range of time is a
 * range of keys, and new facts (stamped "now") sort after everything already there.
 */
const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
const EVENT_KEY = new RegExp(`^(${ISO})#([A-Za-z0-9_-]{1,64})#(\\d{10})$`);
const ACCESS_KEY = new RegExp(`^(${ISO})#([0-9a-f-]{36})$`);

export const eventAuditKey = (at: string, policyId: string, seq: number) => `${at}#${policyId}#${String(seq).padStart(10, '0')}`;

export function parseEventAuditKey(key: string): { at: string; policyId: string; seq: number } | undefined {
  const match = EVENT_KEY.exec(key);
  return match ? { at: match[1] as string, policyId: match[2] as string, seq: Number(match[3]) } : undefined;
}

export const accessLogKey = (at: string, id: string) => `${at}#${id}`;

export function parseAccessLogKey(key: string): { at: string; id: string } | undefined {
  const match = ACCESS_KEY.exec(key);
  return match ? { at: match[1] as string, id: match[2] as string } : undefined;
}
