import type { Auth } from '../auth.js';
import { signInLocally } from '../auth.js';
import { fields, h } from '../dom.js';
import { t } from '../i18n.js';
import { ROLES, type ConsoleConfig } from '../session.js';
import { field, section } from '../widgets.js';

/** Local mode: a role and an ID, no password (the same as `/?as=<role>:<subject>`). On AWS: the Cognito hosted UI. */
export function signInPage(config: ConsoleConfig, auth: Auth, signedIn: () => void): HTMLElement {
  if (config.mode !== 'local') {
    return section(t('signIn'), 'sign-in', h('p', {}, t('signIn.cognito')),
      config.cognito && h('button', { type: 'button', onclick: () => void auth.signIn(`${location.pathname}${location.search}`) }, t('signIn')));
  }
  const form = h('form', {
    onsubmit: (event: Event) => {
      event.preventDefault();
      const { role, subject } = fields(form);
      if (signInLocally(subject ? `${role}:${subject}` : role ?? '')) signedIn();
    },
  },
  field(t('role'), h('select', { name: 'role' }, [...ROLES, 'admin'].map((role) => h('option', { value: role }, `${t(`role.${role}`)} (${role})`)))),
  field(t('subject'), h('input', { name: 'subject', pattern: '[A-Za-z0-9_\\-]{1,64}', placeholder: 'A1001' })),
  h('button', { type: 'submit' }, t('signIn')));
  return section(t('signIn'), 'sign-in', h('p', {}, t('signIn.local')), form);
}
