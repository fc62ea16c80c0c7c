import { AppError } from '../errors/app-error';

/**
 * A name in other languages than the house's own, by BCP 47 tag ({ ar: 'المطبخ المشترك',
 * en: 'Shared kitchen' }). The house's name stays the reference: it is unique, logged and
 * shown to readers whose language has no translation.
 */
export type LocalizedNames = Record<string, string>;

export const MAX_TRANSLATIONS = 20;

/** Translations of a name as a steward sends them; null or absent keeps those there are. */
export type NamesInput = ReadonlyArray<{ lang: string; text: string }> | null | undefined;

/** A BCP 47 tag as people's interface languages are kept (fr, ar, ps, so, pt-BR...). */
export function isLanguageTag(tag: string): boolean {
  return tag.length <= 35 && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(tag);
}

/**
 * What a steward sent, checked and in canonical form (tags as Intl writes them); readers get
 * them in tag order from toLocalizedNameList.
 * Every entry is kept as given: an empty text or a language twice is a mistake to show,
 * not something to guess about.
 */
export function validLocalizedNames(input: ReadonlyArray<{ lang: string; text: string }>, maxLength: number): LocalizedNames {
  if (input.length > MAX_TRANSLATIONS) throw AppError.badInput(`Give at most ${MAX_TRANSLATIONS} translations of a name.`, { field: 'names' });
  const names: LocalizedNames = {};
  for (const { lang, text } of input) {
    const tag = canonicalTag(lang.trim());
    if (!tag) throw AppError.badInput(`"${lang}" is not a language tag like en, ar or ps.`, { field: 'names' });
    const trimmed = text.trim();
    if (trimmed.length < 1 || trimmed.length > maxLength) throw AppError.badInput(`A name has 1 to ${maxLength} characters (${tag}).`, { field: 'names' });
    if (tag in names) throw AppError.badInput(`The name in ${tag} is given twice.`, { field: 'names' });
    names[tag] = trimmed;
  }
  return names;
}

/** The name a reader of `locale` sees: the translation for the tag, else for its language ("ar-MA" reads "ar"), else the house's. */
export function nameFor(name: string, names: LocalizedNames, locale: string | null | undefined): string {
  if (!locale) return name;
  const tag = canonicalTag(locale);
  if (!tag) return name;
  return names[tag] ?? names[tag.split('-')[0]] ?? name;
}

export function sameNames(a: LocalizedNames, b: LocalizedNames): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

export function toLocalizedNameList(names: LocalizedNames): Array<{ lang: string; text: string }> {
  return Object.entries(names ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([lang, text]) => ({ lang, text }));
}

function canonicalTag(tag: string): string | null {
  if (!isLanguageTag(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
