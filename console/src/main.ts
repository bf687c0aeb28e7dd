import { Api } from './api.js';
import type { PageContext } from './context.js';
import { h, replace } from './dom.js';
import { currentLang, setLang, t } from './i18n.js';
import { rolePage } from './pages/home.js';
import { policyPage } from './pages/policy.js';
import { signInPage } from './pages/sign-in.js';
import { resolveIdentity, store, type ConsoleConfig, type Identity } from './session.js';

const root = document.getElementById('app') as HTMLElement;

async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('/console-config.json');
    if (response.ok) return (await response.json()) as ConsoleConfig;
  } catch { /* fall through */ }
  return { mode: 'local', apiBase: '' };
}

function header(config: ConsoleConfig, identity: Identity | undefined, redraw: () => void): HTMLElement {
  const other = currentLang() === 'zh' ? 'en' : 'zh';
  return h('header', {},
    h('a', { class: 'brand', href: '/', onclick: (event: Event) => { event.preventDefault(); navigate('/'); } }, t('app.title')),
    h('span', { class: 'spacer' }),
    identity && h('span', { 'data-testid': 'signed-in-as' }, `${t('signedInAs')}: ${t(`role.${identity.role}`)} · ${identity.role}${identity.subject ? `:${identity.subject}` : ''}`),
    identity && h('button', { type: 'button', 'data-testid': 'switch-identity', onclick: () => { store(undefined); redraw(); } }, config.mode === 'local' ? t('switch') : t('signOut')),
    h('button', { type: 'button', 'data-testid': 'lang', onclick: () => { setLang(other); redraw(); } }, t('lang.other')),
  );
}

let config: ConsoleConfig;

function navigate(path: string): void {
  history.pushState(null, '', path);
  void render();
}

async function render(): Promise<void> {
  document.title = t('app.title');
  const identity = await resolveIdentity(config, location);
  const main = h('main', {});
  replace(root, header(config, identity, () => void render()), main);
  if (!identity) {
    replace(main, signInPage(config, (signedIn) => { store(signedIn); void render(); }));
  } else {
    const context: PageContext = { api: new Api(config, identity), identity, config, navigate, refresh: () => void render() };
    const policy = /^\/policies\/([^/]+)$/.exec(location.pathname);
    await (policy?.[1] ? policyPage(context, main, decodeURIComponent(policy[1])) : rolePage(context, main));
  }
  // The first screen is drawn and wired: what the browser tests time (docs/console.md).
  document.body.dataset.ready = String(Number(document.body.dataset.ready ?? '0') + 1);
  performance.mark('console-ready');
}

window.addEventListener('popstate', () => void render());
setLang(currentLang());
void loadConfig().then((loaded) => { config = loaded; return render(); });
