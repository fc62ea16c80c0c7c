// Translations: every JSON file in this folder is a language (fr.json, en.json, ar.json,
// and later ps.json, so.json, ru.json, sq.json, uk.json...). Keys are flat ("nav.agenda").
// Values may hold {placeholders}. A key missing in a language falls back to French.

import french from './fr.json';

type Dict = Record<string, string>;

/** Each language's name in itself ("العربية"), read from the files at build time (vite.config.ts). */
declare const __LANGUAGE_NAMES__: Record<string, string>;

export const DEFAULT_LANG = 'fr';

// French is in the main chunk: it is the fallback of every language. Every other language is
// its own chunk, fetched when someone reads it: a phone on prepaid data downloads French and
// its reader's language, not every language the house adds.
const files = import.meta.glob<Dict>(['./*.json', '!./fr.json'], { import: 'default' });

const loaders: Record<string, () => Promise<Dict>> = {};
for (const [path, load] of Object.entries(files)) {
  const code = path.replace(/^.*\//, '').replace(/\.json$/, '');
  loaders[code] = load;
}

/** The dictionaries fetched so far. */
const messages: Record<string, Dict> = { [DEFAULT_LANG]: french };

const FIRST = ['fr', 'en', 'ar'];
const RTL = new Set(['ar', 'ps', 'fa', 'ur', 'he', 'ckb']);
const present = [DEFAULT_LANG, ...Object.keys(loaders)];

/** Languages offered, French first, then English and Arabic, then any other file present. */
export const languages: string[] = [
  ...FIRST.filter((l) => present.includes(l)),
  ...present.filter((l) => !FIRST.includes(l)).sort(),
];

export function isRtl(lang: string): boolean {
  return RTL.has(lang.split('-')[0]);
}

/** Maps a BCP 47 tag ("fr-BE", "ar") to a language we have, or null. */
export function supported(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (languages.includes(t)) return t;
  const base = t.split('-')[0];
  return languages.includes(base) ? base : null;
}

let current = DEFAULT_LANG;
let dict: Dict = french;
const fallback: Dict = french;
const listeners = new Set<(lang: string) => void>();

export function lang(): string {
  return current;
}

/** The locale used by Intl and luxon: Arabic with Latin digits, like the clocks in the house. */
export function intlLocale(l: string = current): string {
  if (l === 'ar') return 'ar-u-nu-latn';
  if (l === 'en') return 'en-GB';
  return l;
}

/** "a, b and c" in the interface's language (Arabic joins with و, not a Latin comma). */
export function listOf(items: string[]): string {
  return new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(items);
}

/** A language's dictionary, its chunk fetched the first time. */
async function dictionaryOf(l: string): Promise<Dict> {
  if (!messages[l]) messages[l] = await loaders[l]();
  return messages[l];
}

/** The language last asked for: the one applied, whatever order the chunks arrive in. */
let asked = DEFAULT_LANG;

/**
 * Switches the interface, all at once (words, lang, direction), once the language's dictionary
 * is here. Resolves false when another language was asked for meanwhile; rejects, the interface
 * as it was, when the chunk cannot be fetched (offline).
 */
export async function setLang(l: string): Promise<boolean> {
  const next = supported(l) ?? DEFAULT_LANG;
  asked = next;
  let nextDict: Dict;
  try {
    nextDict = await dictionaryOf(next);
  } catch (e) {
    if (asked !== next) return false;
    throw e;
  }
  if (asked !== next) return false;
  current = next;
  dict = nextDict;
  const html = document.documentElement;
  html.lang = next;
  html.dir = isRtl(next) ? 'rtl' : 'ltr';
  document.title = t('app.name');
  listeners.forEach((fn) => fn(next));
  return true;
}

export function onLangChange(fn: (lang: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function has(key: string): boolean {
  return key in dict || key in fallback;
}

/** Translates a key, replacing {name} placeholders. */
export function t(key: string, params?: Record<string, string | number>): string {
  let s = dict[key] ?? fallback[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  }
  return s;
}

/** First Strong Isolate ... Pop Directional Isolate: a value keeps its own direction inside a sentence. */
export const FSI = '\u2068';
export const PDI = '\u2069';

/**
 * Like t(), for text that goes into an attribute or an <option> (no markup there): every
 * substituted value is wrapped in FSI…PDI, so that a Latin name in an Arabic sentence (or an
 * Arabic name in a French one) neither reorders the words around it nor takes the punctuation.
 */
export function ti(key: string, params: Record<string, string | number>): string {
  const iso: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) iso[k] = `${FSI}${v}${PDI}`;
  return t(key, iso);
}

/**
 * Parts read as one name ("Atelier couture, Atemos, 10:00 – 12:00"), for an attribute: each part
 * isolated as ti() does, joined the language's way (Arabic has its own comma); empty parts left out.
 */
export function tList(parts: (string | null | false | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p)
    .map((p) => `${FSI}${p}${PDI}`)
    .join(t('common.listSep'));
}

/**
 * Like t(), for text shown in the page: the sentence as a list of strings and values, each
 * value in a <bdi> (the caller wraps them: see tb() in components/ui.tsx).
 */
export function tParts(key: string, params: Record<string, unknown>): { text: string; param?: string }[] {
  const s = dict[key] ?? fallback[key] ?? key;
  const out: { text: string; param?: string }[] = [];
  let last = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in params)) continue;
    if (m.index! > last) out.push({ text: s.slice(last, m.index) });
    out.push({ text: '', param: m[1] });
    last = m.index! + m[0].length;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  return out;
}

/** Name of a language in that language, for the switcher (without fetching its dictionary). */
export function languageName(l: string): string {
  return __LANGUAGE_NAMES__[l] ?? l;
}

/** A name a steward may have given in other languages than the house's (zones, spaces, trainings, doors). */
export interface LocalizedName {
  lang: string;
  text: string;
}

export interface Named {
  /** The house's name (French): shown when the reader's language has no translation. */
  name: string;
  names?: LocalizedName[] | null;
}

/**
 * The signed-in person's own language when the interface does not speak it (uk, ps, so...):
 * a name a steward translated into it reads in it, in an interface that falls back to French.
 */
let ownLanguage: string | null = null;

export function setOwnLanguage(tag: string | null | undefined): void {
  ownLanguage = tag && !supported(tag) ? tag : null;
}

/**
 * The name of a zone, space, training or door for this reader: in their own language if the
 * interface lacks it and there is a translation, else in the interface's language, else the
 * house's name.
 */
export function localName(thing: Named, l: string = current): string {
  return (ownLanguage && nameIn(thing, ownLanguage)) || nameIn(thing, l) || thing.name;
}

/** The translation for a tag, else for its language ("ar-MA" reads "ar"), else for a regional form of it (an "ar" reader gets "ar-MA" rather than French). */
function nameIn(thing: Named, l: string): string | null {
  const names = thing.names ?? [];
  const tag = l.toLowerCase();
  const base = tag.split('-')[0];
  const pick =
    names.find((n) => n.lang.toLowerCase() === tag) ??
    names.find((n) => n.lang.toLowerCase() === base) ??
    names.find((n) => n.lang.toLowerCase().split('-')[0] === base);
  return pick && pick.text.trim() !== '' ? pick.text : null;
}

/** Orders things by the name the reader sees, the way their language sorts. */
export function byLocalName(a: Named, b: Named): number {
  return localName(a).localeCompare(localName(b), intlLocale());
}

/** The names of things as GraphQL returns them for localName(). */
export const NAMES = 'names { lang text }';
