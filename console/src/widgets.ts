import type { ApiResult } from './api.js';
import { h, type Child } from './dom.js';
import { t } from './i18n.js';

export function section(title: string, testId: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel', 'data-testid': testId }, h('h2', {}, title), ...children);
}

/** A result line under a form: what the API said, success or the error it named. */
export function outcome(result: ApiResult<unknown>, success: string): HTMLElement {
  return result.ok
    ? h('p', { class: 'ok', role: 'status' }, success)
    : h('p', { class: 'err', role: 'alert' }, `${t('error')}: ${result.message ?? result.status}`);
}

export function failure(result: ApiResult<unknown>): HTMLElement {
  if (result.status === 403) return h('p', { class: 'err', role: 'alert' }, t('notAllowed'));
  if (result.status === 404) return h('p', { class: 'muted' }, t('notFound'));
  return outcome(result, '');
}

export function policyLink(policyId: string, navigate: (path: string) => void): HTMLAnchorElement {
  const href = `/policies/${encodeURIComponent(policyId)}`;
  return h('a', { href, onclick: (event: Event) => { event.preventDefault(); navigate(href); } }, policyId);
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', {}, h('span', {}, label), input);
}

/** An ISO instant as the value of a datetime-local input, in Asia/Shanghai (the insurer's zone). */
export function toLocalInput(date: Date): string {
  const shanghai = new Date(date.getTime() + 8 * 3_600_000);
  return shanghai.toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString();
}
