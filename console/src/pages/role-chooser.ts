import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { Person, Role } from '../session.js';
import { section } from '../widgets.js';

/** A person in several groups says which role acts (the API wants it in X-Acting-Role on every call). */
export function roleChooser(person: Person, choose: (role: Role) => void): HTMLElement {
  return section(t('actingRole'), 'role-chooser', h('p', {}, t('actingRole.choose')),
    person.roles.map((role) => h('button', { type: 'button', 'data-testid': `act-as-${role}`, onclick: () => choose(role) }, `${t(`role.${role}`)} (${role})`)));
}
