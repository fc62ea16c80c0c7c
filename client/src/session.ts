import { gql, getToken, setToken, setUnauthenticatedHandler } from './api';
import { DEFAULT_LANG, NAMES, setLang, setOwnLanguage, supported } from './i18n';
import { Store } from './store';
import type { Me, Role } from './types';
import { live } from './live';

const LANG_KEY = 'tl.lang';
/**
 * The signed-in person's own language (their account's), kept on this device so that the next
 * visit is in it from the first paint, before `me` has loaded; forgotten at sign-out.
 */
const PERSON_LANG_KEY = 'tl.personLang';

export const ME_FIELDS = `id displayName email locale roles
  memberships { id role startsAt endsAt collective { id name tariffTier } }
  qualifications { qualification { id name ${NAMES} } expiresAt }`;

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'offline' }
  | { status: 'ready'; me: Me };

export const session = new Store<SessionState>({ status: getToken() ? 'loading' : 'anonymous' });

export function savedLang(): string | null {
  try {
    return supported(localStorage.getItem(LANG_KEY));
  } catch {
    return null;
  }
}

/**
 * The person chose a language: once its dictionary is here (fetched the first time), the
 * interface switches, and their account keeps it for other devices. Rejects, changing nothing,
 * when the dictionary cannot be fetched (offline).
 */
export async function chooseLang(l: string): Promise<void> {
  // Kept on this device at once: a login while the dictionary comes does not replace the choice
  // with the account's language.
  const before = savedLang();
  keepLang(l);
  let applied: boolean;
  try {
    applied = await setLang(l);
  } catch (e) {
    keepLang(before);
    throw e;
  }
  // Another language chosen meanwhile is the one kept.
  if (!applied) return;
  setOwnLanguage(l);
  if (getToken()) void gql('mutation SetMyLocale($l: String!) { setMyLocale(locale: $l) { id } }', { l }).catch(() => undefined);
}

function keepLang(l: string | null): void {
  try {
    if (l) localStorage.setItem(LANG_KEY, l);
    else localStorage.removeItem(LANG_KEY);
  } catch {
    /* ignore */
  }
}

function personLang(): string | null {
  try {
    return supported(localStorage.getItem(PERSON_LANG_KEY));
  } catch {
    return null;
  }
}

function rememberPersonLang(l: string | null): void {
  try {
    if (l) localStorage.setItem(PERSON_LANG_KEY, l);
    else localStorage.removeItem(PERSON_LANG_KEY);
  } catch {
    /* private mode: the first paint is in the default language */
  }
}

/**
 * The language of the first paint: the one chosen on this device, else (still signed in) the
 * person's own from the last visit, else French. `me` confirms or corrects it once loaded.
 * Resolves once it is applied (its dictionary fetched), or, offline, in French.
 */
export async function initLang(): Promise<void> {
  const wanted = savedLang() ?? (getToken() ? personLang() : null) ?? DEFAULT_LANG;
  await setLang(wanted).catch(() => langLoadFailed.set(wanted));
}

/** A language wanted whose dictionary could not be fetched (offline): the page stays in the one it shows, and says so. */
export const langLoadFailed = new Store<string | null>(null);

/** How long signing in waits for the person's dictionary before showing the page in the language it has. */
const LANGUAGE_WAIT_MS = 3000;

/**
 * Resolves once the person's language shows (its dictionary fetched), so that the first page
 * after signing in is in it rather than in French for as long as the fetch takes; on a network
 * too slow for that, after LANGUAGE_WAIT_MS, and the page switches when the dictionary comes.
 */
async function applyPersonLocale(me: Me): Promise<void> {
  const l = supported(me.locale);
  setOwnLanguage(me.locale);
  rememberPersonLang(l);
  if (savedLang() || !l) return;
  // Offline, the interface stays in the language it shows, and says so.
  const applied = setLang(l).catch(() => langLoadFailed.set(l));
  await Promise.race([applied, new Promise((resolve) => setTimeout(resolve, LANGUAGE_WAIT_MS))]);
}

export async function loadMe(): Promise<void> {
  if (!getToken()) {
    session.set({ status: 'anonymous' });
    return;
  }
  try {
    const data = await gql<{ me: Me | null }>(`query Me { me { ${ME_FIELDS} } }`);
    if (!data.me) {
      logout();
      return;
    }
    await applyPersonLocale(data.me);
    session.set({ status: 'ready', me: data.me });
    live.start(getToken()!);
  } catch (e) {
    // Offline or server down: keep the token and offer to try again.
    if ((e as { code?: string }).code === 'UNAUTHENTICATED') logout();
    else session.set({ status: 'offline' });
  }
}

const DEVICE_KEYS = 'tl.deviceKeys';

/**
 * The keys this device was given at logins (a shared phone may hold several people's): sent
 * with the next login, they keep guesses made elsewhere from locking the person out here.
 */
export function deviceKeys(): string[] {
  try {
    const keys: unknown = JSON.parse(localStorage.getItem(DEVICE_KEYS) ?? '[]');
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

function rememberDeviceKey(key: string | undefined): void {
  if (!key) return;
  try {
    localStorage.setItem(DEVICE_KEYS, JSON.stringify([key, ...deviceKeys().filter((k) => k !== key)].slice(0, 10)));
  } catch {
    /* private mode: this device is new at every login */
  }
}

export async function signedIn(token: string, me: Me, deviceKey?: string): Promise<void> {
  rememberDeviceKey(deviceKey);
  setToken(token);
  await applyPersonLocale(me);
  session.set({ status: 'ready', me });
  live.start(token);
}

/** Forgets the session on this device (the server already refused it, or signOut ended it). */
export function logout(): void {
  setToken(null);
  rememberPersonLang(null);
  setOwnLanguage(null);
  live.stop();
  session.set({ status: 'anonymous' });
}

/**
 * The "Sign out" button: the server ends this device's token (on a shared phone, someone
 * who copied it cannot use it), and the page forgets it at once, without waiting for the answer.
 */
export function signOut(): void {
  if (getToken()) void gql<{ logout: boolean }>('mutation Logout { logout }').catch(() => undefined);
  logout();
}

setUnauthenticatedHandler(() => logout());
// Signed out from another device or by a steward: ask the server, which answers no one.
live.onRejected(() => void loadMe());

/**
 * A steward renamed or translated a training: my trainings (account page) read it again. The
 * page stays as it is meanwhile, and if the answer does not come. A change heard while asking
 * asks once more after, so the last answer is never older than the last change.
 */
let meRefresh: 'idle' | 'asking' | 'again' = 'idle';
function refreshMyTrainings(): void {
  if (meRefresh !== 'idle') {
    meRefresh = 'again';
    return;
  }
  meRefresh = 'asking';
  gql<{ me: Me | null }>(`query Me { me { ${ME_FIELDS} } }`)
    .then(
      (d) => {
        const s = session.get();
        if (d.me && s.status === 'ready' && s.me.id === d.me.id) session.set({ status: 'ready', me: { ...s.me, qualifications: d.me.qualifications } });
      },
      () => undefined,
    )
    .finally(() => {
      const again = meRefresh === 'again';
      meRefresh = 'idle';
      if (again) refreshMyTrainings();
    });
}
live.on((ev) => {
  if (ev.type === 'qualification.changed' && session.get().status === 'ready') refreshMyTrainings();
});

export function hasRole(me: Me | null | undefined, ...roles: Role[]): boolean {
  return !!me && me.roles.some((r) => roles.includes(r));
}

/** Holds this qualification (by its id: a renamed or translated training is the same) now, not expired. */
export function holdsQualification(me: Me, qualificationId: string): boolean {
  const id = qualificationId.toLowerCase();
  return me.qualifications.some((q) => q.qualification.id.toLowerCase() === id && (!q.expiresAt || Date.parse(q.expiresAt) > Date.now()));
}

export function activeMemberships(me: Me): Me['memberships'] {
  const t = Date.now();
  return me.memberships.filter((m) => Date.parse(m.startsAt) <= t && (!m.endsAt || Date.parse(m.endsAt) > t));
}
