/**
 * Half-filled forms survive a sign-in: before the console leaves to sign in again (a 401),
 * each form marked `data-draft="<key>"` is kept in sessionStorage under the page's path, and
 * filled back once the page is drawn again. sessionStorage: this tab only, gone when it closes.
 */
export type Draft = Record<string, string>;
export type Drafts = Record<string, Draft>;

const PREFIX = 'console.drafts:';

export function keepDrafts(storage: Pick<Storage, 'setItem' | 'removeItem'>, page: string, drafts: Drafts): void {
  if (Object.keys(drafts).length) storage.setItem(PREFIX + page, JSON.stringify(drafts));
  else storage.removeItem(PREFIX + page);
}

export function keptDrafts(storage: Pick<Storage, 'getItem'>, page: string): Drafts {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(PREFIX + page) ?? '{}');
    return parsed !== null && typeof parsed === 'object' ? (parsed as Drafts) : {};
  } catch {
    return {};
  }
}

/** The drafts still waiting after `used` were filled back. */
export function withoutDrafts(drafts: Drafts, used: readonly string[]): Drafts {
  return Object.fromEntries(Object.entries(drafts).filter(([key]) => !used.includes(key)));
}

/** Every field's value by name (a checkbox as "on" or ""), as the person left it. */
export function draftOf(form: HTMLFormElement): Draft {
  const out: Draft = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) || !element.name) continue;
    out[element.name] = element instanceof HTMLInputElement && element.type === 'checkbox' ? (element.checked ? 'on' : '') : element.value;
  }
  return out;
}

/** Fills a form back, and tells it (`change`) so parts shown on a value (the call's confirmations) appear. */
export function fillDraft(form: HTMLFormElement, draft: Draft): void {
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) continue;
    const value = draft[element.name];
    if (value === undefined) continue;
    if (element instanceof HTMLInputElement && element.type === 'checkbox') element.checked = value === 'on';
    else element.value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

/** Keeps the drafts of the forms under `root` (before leaving to sign in). */
export function saveDrafts(root: ParentNode, page = location.pathname, storage: Storage = sessionStorage): void {
  const drafts: Drafts = { ...keptDrafts(storage, page) };
  for (const form of Array.from(root.querySelectorAll<HTMLFormElement>('form[data-draft]'))) drafts[form.dataset.draft ?? ''] = draftOf(form);
  keepDrafts(storage, page, drafts);
}

/** Fills back the kept drafts whose forms are under `root`; the others keep waiting. */
export function restoreDrafts(root: ParentNode, page = location.pathname, storage: Storage = sessionStorage): void {
  const drafts = keptDrafts(storage, page);
  const used: string[] = [];
  for (const form of Array.from(root.querySelectorAll<HTMLFormElement>('form[data-draft]'))) {
    const draft = drafts[form.dataset.draft ?? ''];
    if (!draft) continue;
    fillDraft(form, draft);
    used.push(form.dataset.draft ?? '');
  }
  if (used.length) keepDrafts(storage, page, withoutDrafts(drafts, used));
}

export function forgetDrafts(storage: Storage = sessionStorage): void {
  for (const key of Object.keys(storage).filter((k) => k.startsWith(PREFIX))) storage.removeItem(key);
}
