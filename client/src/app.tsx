import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Icon, type IconName } from './icons';
import { languageName, languages, lang, onLangChange, t } from './i18n';
import { live } from './live';
import { linkClick, navigate, route } from './router';
import { chooseLang, hasRole, langLoadFailed, loadMe, session, signOut } from './session';
import { useStore } from './store';
import type { Me } from './types';
import { Button, Spinner, tb } from './components/ui';
import { LoginPage } from './pages/login';
import { InvitePage } from './pages/invite';
import { AgendaPage } from './pages/agenda';
import { RulesPage } from './pages/rules';
import { ProposalsPage } from './pages/proposals';
import { ProposalPage } from './pages/proposal';
import { AccountPage } from './pages/account';

/**
 * A page fetched the first time it is opened: a member's phone never downloads the steward's
 * forms or the City's charts. If the network fails meanwhile, the page says so and offers to
 * try again instead of staying blank.
 */
function pageLoadedOnUse<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function PageLoadedOnUse(props: P) {
    const [, setReady] = useState(false);
    const [attempt, setAttempt] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let current = true;
      load().then(
        (component) => {
          loaded = component;
          if (current) setReady(true);
        },
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, [attempt]);
    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    if (failed) {
      return (
        <section class="page" data-testid="page-load-failed">
          <p role="alert">{t('error.NETWORK')}</p>
          <Button
            icon="repeat"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            {t('common.retry')}
          </Button>
        </section>
      );
    }
    return <Spinner />;
  };
}

const StewardPage = pageLoadedOnUse(() => import('./pages/steward').then((m) => m.StewardPage));
const CityPage = pageLoadedOnUse(() => import('./pages/city').then((m) => m.CityPage));

interface NavItem {
  path: string;
  icon: IconName;
  label: string;
  show: (me: Me) => boolean;
}

const NAV: NavItem[] = [
  { path: '/agenda', icon: 'calendar', label: 'nav.agenda', show: () => true },
  { path: '/proposals', icon: 'vote', label: 'nav.proposals', show: (me) => !isOnlyAuditor(me) },
  { path: '/rules', icon: 'rules', label: 'nav.rules', show: () => true },
  { path: '/steward', icon: 'badge', label: 'nav.steward', show: (me) => hasRole(me, 'STEWARD', 'ADMIN') },
  { path: '/city', icon: 'chart', label: 'nav.city', show: (me) => hasRole(me, 'AUDITOR', 'ADMIN') },
  { path: '/account', icon: 'person', label: 'nav.account', show: (me) => !isOnlyAuditor(me) },
];

function isOnlyAuditor(me: Me): boolean {
  return me.roles.includes('AUDITOR') && !me.roles.some((r) => r === 'MEMBER' || r === 'STEWARD' || r === 'ADMIN') && me.memberships.length === 0;
}

function switchLang(l: string): void {
  langLoadFailed.set(null);
  chooseLang(l).catch(() => langLoadFailed.set(l));
}

export function LanguageSwitcher() {
  const current = lang();
  // A failed switch shows the language the page is still in.
  useStore(langLoadFailed);
  return (
    <label class="lang-switch">
      <Icon name="globe" />
      <span class="sr-only">{t('lang.choose')}</span>
      <select data-testid="lang-switcher" value={current} onChange={(e) => switchLang((e.currentTarget as HTMLSelectElement).value)}>
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageName(l)}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The language wanted (chosen now, or saved on this phone at start) could not be fetched: said
 * in the page's language, the wanted one named in its own words (its reader may not read this
 * one), with a button to try again.
 */
function LangLoadFailed() {
  const failed = useStore(langLoadFailed);
  if (!failed) return null;
  return (
    <section class="page lang-load-failed" data-testid="lang-load-failed">
      <div class="msg msg-error" role="alert">
        <Icon name="alert" />
        <p>{tb('lang.loadFailed', { lang: <span lang={failed}>{languageName(failed)}</span> })}</p>
      </div>
      <Button icon="repeat" onClick={() => switchLang(failed)}>
        {t('common.retry')}
      </Button>
    </section>
  );
}

function LiveDot() {
  const status = useStore(live.status);
  if (status === 'off') return null;
  return (
    <span class={`live-dot live-${status}`} data-testid="live-status" data-status={status} title={t(`live.${status}`)}>
      <span class="dot" aria-hidden="true" />
      <span class="live-label">{t(`live.${status}`)}</span>
    </span>
  );
}

function TopBar({ me }: { me: Me | null }) {
  return (
    <header class="topbar">
      <a href={me ? '/agenda' : '/login'} onClick={linkClick} class="brand">
        <Icon name="home" size={26} />
        <span class="brand-text">
          <span class="brand-name">{t('app.name')}</span>
          {me && (
            <span class="brand-person" data-testid="current-person" dir="auto">
              {me.displayName}
            </span>
          )}
        </span>
      </a>
      <div class="topbar-tools">
        {me && <LiveDot />}
        <LanguageSwitcher />
        {me && (
          <Button icon="logout" flipIcon variant="ghost" class="logout" data-testid="logout" aria-label={t('nav.logout')} title={t('nav.logout')} onClick={() => { signOut(); navigate('/login'); }}>
            {t('nav.logout')}
          </Button>
        )}
      </div>
    </header>
  );
}

function Nav({ me, path }: { me: Me; path: string }) {
  return (
    <nav class="mainnav" aria-label={t('nav.label')}>
      <ul>
        {NAV.filter((n) => n.show(me)).map((n) => {
          const active = path === n.path || path.startsWith(n.path + '/');
          return (
            <li key={n.path}>
              <a href={n.path} onClick={linkClick} aria-current={active ? 'page' : undefined} data-testid={`nav-${n.path.slice(1)}`}>
                <Icon name={n.icon} />
                <span>{t(n.label)}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Page({ me, path }: { me: Me; path: string }) {
  // A page this person may not use (the steward's page for the City's auditor or a member):
  // their own home instead of forms that can only fail.
  const item = NAV.find((n) => n.path === path);
  const allowed = !item || item.show(me);
  useEffect(() => {
    if (!allowed) navigate(homeFor(me), true);
  }, [allowed, path]);
  if (!allowed) return <Spinner />;
  const m = path.match(/^\/proposals\/([^/]+)$/);
  if (m) return <ProposalPage me={me} id={decodeURIComponent(m[1])} />;
  switch (path) {
    case '/agenda':
      return <AgendaPage me={me} />;
    case '/rules':
      return <RulesPage />;
    case '/proposals':
      return <ProposalsPage me={me} />;
    case '/steward':
      return <StewardPage me={me} />;
    case '/account':
      return <AccountPage me={me} />;
    case '/city':
      return <CityPage />;
    default:
      return (
        <section class="page">
          <h1>{t('notFound.title')}</h1>
          <p>
            <a href="/agenda" onClick={linkClick}>
              {t('notFound.back')}
            </a>
          </p>
        </section>
      );
  }
}

function homeFor(me: Me): string {
  return isOnlyAuditor(me) ? '/city' : '/agenda';
}

export function App() {
  const s = useStore(session);
  const r = useStore(route);
  const [, setLangTick] = useState(lang());
  useEffect(() => onLangChange(setLangTick), []);

  const path = r.path;
  const publicPage = path === '/login' || path === '/invite';

  useEffect(() => {
    if (s.status === 'anonymous' && !publicPage) navigate('/login', true);
    if (s.status === 'ready' && (publicPage || path === '/')) navigate(homeFor(s.me), true);
  }, [s.status, path]);

  const me = s.status === 'ready' ? s.me : null;

  let main;
  if (s.status === 'loading') main = <Spinner />;
  else if (s.status === 'offline')
    main = (
      <section class="page narrow">
        <p class="msg msg-error" role="alert">
          {t('error.NETWORK')}
        </p>
        <Button icon="repeat" variant="primary" onClick={() => { session.set({ status: 'loading' }); void loadMe(); }}>
          {t('common.retry')}
        </Button>
      </section>
    );
  else if (!me) main = path === '/invite' ? <InvitePage /> : <LoginPage />;
  else main = <Page me={me} path={path} />;

  return (
    <div class="app">
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <TopBar me={me} />
      {me && <Nav me={me} path={path} />}
      <main id="main" tabIndex={-1}>
        <LangLoadFailed />
        {main}
      </main>
    </div>
  );
}
