import { actingRole, rememberedRole, rememberRole } from './acting-role.js';
import { Api } from './api.js';
import { authFor, type Auth } from './auth.js';
import type { PageContext } from './context.js';
import { h, replace } from './dom.js';
import { forgetDrafts, restoreDrafts, saveDrafts } from './drafts.js';
import { currentLang, setLang, t } from './i18n.js';
import { rolePage } from './pages/home.js';
import { policyPage } from './pages/policy.js';
import { roleChooser } from './pages/role-chooser.js';
import { signInPage } from './pages/sign-in.js';
import type { ConsoleConfig, Identity, Person, Role } from './session.js';

const root = document.getElementById('app') as HTMLElement;

async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('/console-config.json');
    if (response.ok) return (await response.json()) as ConsoleConfig;
  } catch { /* fall through */ }
  return { mode: 'local', apiBase: '' };
}

function header(person: Person | undefined, role: Role | undefined): HTMLElement {
  const other = currentLang() === 'zh' ? 'en' : 'zh';
  const choose = (next: Role) => { rememberRole(next); void render(); };
  return h('header', {},
    h('a', { class: 'brand', href: '/', onclick: (event: Event) => { event.preventDefault(); navigate('/'); } }, t('app.title')),
    h('span', { class: 'spacer' }),
    person && h('span', { 'data-testid': 'signed-in-as' }, `${t('signedInAs')}: ${role ? `${t(`role.${role}`)} · ${role}` : person.roles.join('+')}${person.subject ? `:${person.subject}` : ''}`),
    // A person in several groups switches the acting role here (remembered: the role's name only).
    person && person.roles.length > 1 && role && h('select', { 'data-testid': 'acting-role', 'aria-label': t('actingRole'), onchange: (event: Event) => choose((event.target as HTMLSelectElement).value as Role) },
      person.roles.map((r) => h('option', { value: r, selected: r === role }, t(`role.${r}`)))),
    person && h('button', { type: 'button', 'data-testid': 'switch-identity', onclick: () => { forgetDrafts(); void auth.signOut(); } }, config.mode === 'local' ? t('switch') : t('signOut')),
    h('button', { type: 'button', 'data-testid': 'lang', onclick: () => { setLang(other); void render(); } }, t('lang.other')),
  );
}

let config: ConsoleConfig;
let auth: Auth;

function navigate(path: string): void {
  history.pushState(null, '', path);
  void render();
}

/** A 401 that renewing did not cure (once per draw): keep the half-filled forms, sign in again, come back here. */
function onUnauthorized(main: HTMLElement): () => void {
  let handled = false;
  return () => {
    if (handled) return;
    handled = true;
    saveDrafts(main);
    void auth.signInAgain(`${location.pathname}${location.search}`);
  };
}

async function render(): Promise<void> {
  document.title = t('app.title');
  const person = await auth.person();
  const role = person && actingRole(person, rememberedRole());
  const main = h('main', {});
  replace(root, header(person, role), main);
  if (!person) {
    replace(main, signInPage(config, auth, () => void render()));
  } else if (!role) {
    replace(main, roleChooser(person, (chosen) => { rememberRole(chosen); void render(); }));
  } else {
    const identity: Identity = { ...person, role };
    const api = new Api(config, { role, credential: () => auth.credential(), renew: () => auth.renew(), unauthorized: onUnauthorized(main) });
    const context: PageContext = { api, identity, config, navigate, refresh: () => void render() };
    const policy = /^\/policies\/([^/]+)$/.exec(location.pathname);
    await (policy?.[1] ? policyPage(context, main, decodeURIComponent(policy[1])) : rolePage(context, main));
    restoreDrafts(main);
  }
  // The first screen is drawn and wired: what the browser tests time (docs/console.md).
  document.body.dataset.ready = String(Number(document.body.dataset.ready ?? '0') + 1);
  performance.mark('console-ready');
}

window.addEventListener('popstate', () => void render());
setLang(currentLang());
void loadConfig().then(async (loaded) => {
  config = loaded;
  auth = await authFor(config, () => void render());
  return render();
});
