import type { FieldError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * A 400's `details[].field` shown at the input of that name (e.g. `confirmations.coolingOff`),
 * and a field a rule set requires marked as such; the others are in the message under the form.
 */
export function showFieldErrors(form: HTMLFormElement, errors: readonly FieldError[]): void {
  clearFieldErrors(form);
  for (const error of errors) {
    const input = Array.from(form.elements).find((e): e is HTMLInputElement | HTMLSelectElement => (e instanceof HTMLInputElement || e instanceof HTMLSelectElement) && e.name === error.field);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const required = error.rule === 'required_by_rule_set';
    if (required) input.closest('label')?.classList.add('mandatory');
    input.after(h('span', { class: 'field-error', role: 'alert', 'data-testid': `error-${error.field}` }, required ? t('rule.required_by_rule_set') : error.message));
  }
}

export function clearFieldErrors(form: HTMLFormElement): void {
  for (const old of Array.from(form.querySelectorAll('.field-error'))) old.remove();
  for (const input of Array.from(form.querySelectorAll('[aria-invalid]'))) input.removeAttribute('aria-invalid');
}
