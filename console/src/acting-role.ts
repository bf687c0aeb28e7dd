import type { Person, Role } from './session.js';

/**
 * The role a person in several groups acts in: their choice, remembered in this browser
 * (only the role's name: no credential is ever written to localStorage).
 */
const KEY = 'console.actingRole';

/** One role acts without asking; with several, the remembered one if it is still held, else none (ask). */
export function actingRole(person: Person, remembered: string | null): Role | undefined {
  if (person.roles.length === 1) return person.roles[0];
  return person.roles.find((role) => role === remembered);
}

export function rememberedRole(storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  return storage.getItem(KEY);
}

export function rememberRole(role: Role, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(KEY, role);
}
