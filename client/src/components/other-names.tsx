// The name of a zone, space or training in other languages than the house's (French): what a
// steward types in the forms, and the line that shows them in the steward's lists.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { DEFAULT_LANG, intlLocale, isRtl, languageName, languages, localName, t, ti, type LocalizedName, type Named } from '../i18n';
import { ApiError } from '../api';
import { Button } from './ui';

/** The server refused a name in another language (empty, too long, a language twice). */
export const namesRefused = (err: unknown) => err instanceof ApiError && err.code === 'BAD_USER_INPUT' && err.extensions.field === 'names';

/**
 * What the server said about a zone's or training's own name, as one of two translation keys:
 * another one has it (reason TAKEN, in any letter case), or it is no name (1 to 120 signs);
 * null for any other answer.
 */
export function nameRefused(err: unknown, keys: { taken: string; invalid: string }): string | null {
  if (!(err instanceof ApiError) || err.code !== 'BAD_USER_INPUT' || err.extensions.field !== 'name') return null;
  return err.extensions.reason === 'TAKEN' ? keys.taken : keys.invalid;
}

/** One field of the form: a language and the name as typed (empty: none in that language). */
export interface NameRow {
  lang: string;
  text: string;
}

/** The interface's languages other than the house's: each has its field, even empty. */
const offered = () => languages.filter((l) => l !== DEFAULT_LANG);

/**
 * The form's fields for a thing's names: one per interface language (English, Arabic...), then
 * one for every other language it already has a name in (Ukrainian set elsewhere), so that
 * saving sends them back and never drops one.
 */
export function nameRows(names: LocalizedName[] | null | undefined): NameRow[] {
  const given = names ?? [];
  const own = offered();
  const textIn = (l: string) => given.find((n) => n.lang.toLowerCase() === l.toLowerCase())?.text ?? '';
  return [
    ...own.map((l) => ({ lang: l, text: textIn(l) })),
    ...given.filter((n) => !own.some((l) => l.toLowerCase() === n.lang.toLowerCase())).map((n) => ({ lang: n.lang, text: n.text })),
  ];
}

/** What the server is sent: every name typed, trimmed; an empty field sends nothing (the server refuses empty names). */
export function namesInput(rows: NameRow[]): LocalizedName[] {
  return rows.map((r) => ({ lang: r.lang, text: r.text.trim() })).filter((r) => r.text !== '');
}

/** A language's name for the steward: an interface language as the switcher names it, another in the steward's words ("ukrainien"). */
function languageLabel(tag: string): string {
  if (languages.includes(tag)) return languageName(tag);
  try {
    const name = new Intl.DisplayNames([intlLocale()], { type: 'language' }).of(tag);
    return name && name.toLowerCase() !== tag.toLowerCase() ? name : tag;
  } catch {
    return tag;
  }
}

/**
 * "Name in other languages": a compact group of fields, one per language; the interface's
 * languages always there, any other one the thing has with a button to remove it.
 */
export function OtherNames({ id, rows, onChange, disabled }: { id: string; rows: NameRow[]; onChange: (rows: NameRow[]) => void; disabled?: boolean }) {
  const own = offered();
  // After a row is removed, the keyboard goes to the field before it (the button pressed is gone).
  const focusNext = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (focusNext.current) document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  }, [rows.length]);
  return (
    <fieldset class="field-group other-names" data-testid="other-names" aria-describedby={`${id}-hint`}>
      <legend>{t('names.title')}</legend>
      <p class="hint" id={`${id}-hint`}>
        {t('names.hint')}
      </p>
      <div class="other-names-list">
        {rows.map((r, i) => {
          const fixed = own.includes(r.lang);
          const label = languageLabel(r.lang);
          const fieldId = `${id}-${r.lang}`;
          return (
            <div class="field other-name" key={r.lang} data-testid="other-name" data-lang={r.lang}>
              <label for={fieldId} lang={languages.includes(r.lang) ? r.lang : undefined}>
                {label}
                {!fixed && label !== r.lang && (
                  <span class="muted" dir="ltr">
                    {' '}
                    ({r.lang})
                  </span>
                )}
              </label>
              <div class="other-name-input">
                <input
                  id={fieldId}
                  lang={r.lang}
                  dir={isRtl(r.lang) ? 'rtl' : fixed ? 'ltr' : 'auto'}
                  maxLength={120}
                  autoComplete="off"
                  value={r.text}
                  disabled={disabled}
                  onInput={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, text: e.currentTarget.value } : x)))}
                  data-testid={`name-${r.lang}`}
                />
                {!fixed && (
                  <Button
                    variant="ghost"
                    icon="close"
                    aria-label={ti('names.remove', { lang: label })}
                    title={ti('names.remove', { lang: label })}
                    onClick={() => {
                      focusNext.current = `${id}-${rows[i - 1].lang}`;
                      onChange(rows.filter((_, j) => j !== i));
                    }}
                    data-testid="other-name-remove"
                  />
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * Under a name in a steward's list: its other names (the house's one too, when the reader sees
 * a translation), each in its own language and direction; nothing when it has none.
 */
export function OtherNamesLine({ thing }: { thing: Named }) {
  const shown = localName(thing);
  const others = [{ lang: DEFAULT_LANG, text: thing.name }, ...(thing.names ?? [])].filter((n) => n.text !== shown);
  if (others.length === 0) return null;
  return (
    <p class="hint other-names-line" data-testid="other-names-line">
      <span class="sr-only">{t('names.others')} </span>
      {others.map((n, i) => (
        <span key={n.lang}>
          {i > 0 && ' · '}
          <bdi lang={n.lang}>{n.text}</bdi>
        </span>
      ))}
    </p>
  );
}
