// The name of a zone, space, training or door in other languages than the house's (French): what
// a steward types in the forms, and the line that shows them in the steward's lists.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_LANG, intlLocale, isRtl, languageName, languages, localName, t, ti, type LocalizedName, type Named } from '../i18n';
import { ApiError } from '../api';
import { Button, FieldError, tb } from './ui';

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

/**
 * The house's own name of a zone, training or door (French): the field each of their forms
 * starts with. `problem` is the translation key of what is wrong with it, said under it.
 */
export function HouseNameField(props: { id: string; label: string; value: string; problem: string | null; onInput: (value: string) => void; testId: string; required?: boolean; autoComplete?: string }) {
  const { id, problem } = props;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        required={props.required}
        lang="fr"
        dir="auto"
        maxLength={120}
        autoComplete={props.autoComplete}
        value={props.value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        data-testid={props.testId}
      />
      {problem && <FieldError id={`${id}-error`}>{t(problem)}</FieldError>}
    </div>
  );
}

/**
 * What the forms of a zone, a training and a door share: the house's name and the other names
 * as typed, and a save that refuses an empty name, sends both trimmed, and says what the server
 * refused about the name under its field (with the keyboard back in it). `refused` gives the
 * translation key of that refusal; `missing` the key said when the name is left empty.
 */
export function useHouseNameForm(thing: Named | null, keys: { refused: (err: unknown) => string | null; missing: string }) {
  const [name, setName] = useState(thing?.name ?? '');
  const [names, setNames] = useState<NameRow[]>(() => nameRows(thing?.names));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const refused = keys.refused(error);
  // The name is each form's first field.
  const focusName = () => formRef.current?.querySelector<HTMLElement>('input')?.focus();

  /** Has `send` save the names; resolves to the name the reader sees, or null when nothing was saved. */
  async function submit(send: (name: string, names: LocalizedName[]) => Promise<unknown>): Promise<string | null> {
    setTried(true);
    setError(null);
    const clean = name.trim();
    if (clean === '') {
      focusName();
      return null;
    }
    setBusy(true);
    try {
      const sent = namesInput(names);
      await send(clean, sent);
      return localName({ name: clean, names: sent });
    } catch (err) {
      setError(err);
      if (keys.refused(err)) focusName();
      return null;
    } finally {
      setBusy(false);
    }
  }

  return {
    formRef,
    name,
    names,
    setNames,
    busy,
    submit,
    /** For the next new thing. */
    clear() {
      setName('');
      setNames(nameRows([]));
      setTried(false);
    },
    nameProblem: tried && name.trim() === '' ? keys.missing : refused,
    onNameInput(typed: string) {
      setName(typed);
      if (refused) setError(null);
    },
    /** What the server refused other than the name, for the form's ErrorBox. */
    otherError: refused ? null : error,
    otherErrorText: namesRefused(error) ? t('names.invalid') : undefined,
  };
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

/**
 * Languages many of the house's members speak besides the interface's, offered by name when a
 * steward adds one (any other is added by its code), with the name each gives itself (CLDR's):
 * browsers lack it for many of them (Chromium knows no Pashto, Somali, Tigrinya, Lingala...),
 * so that Intl.DisplayNames cannot say it there. Dari is fa-AF, the canonical form of "prs", as
 * the server keeps it.
 */
const COMMON: Record<string, string> = {
  am: 'አማርኛ',
  ckb: 'کوردیی ناوەندی',
  de: 'Deutsch',
  es: 'español',
  fa: 'فارسی',
  'fa-AF': 'دری',
  ff: 'Pulaar',
  it: 'italiano',
  kab: 'Taqbaylit',
  ku: 'kurdî',
  ln: 'lingála',
  nl: 'Nederlands',
  ps: 'پښتو',
  pt: 'português',
  ro: 'română',
  ru: 'русский',
  rw: 'Ikinyarwanda',
  so: 'Soomaali',
  sq: 'shqip',
  sw: 'Kiswahili',
  ti: 'ትግርኛ',
  tr: 'Türkçe',
  uk: 'українська',
  ur: 'اردو',
  wo: 'Wolof',
};

const sameTag = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The server keeps at most 20 names: with as many, one must go before another is added. The
 * interface's fields count only once they have a name (they are there, empty, for every thing);
 * a language added by hand counts from then on, since it was added to be given a name.
 */
const MAX_NAMES = 20;

/** The select's choice that shows the field for a language's code. */
const OTHER = 'other';

/**
 * A language tag typed by a steward, written the canonical way ("fa-af" and "prs" are fa-AF), or
 * null when it is none: the shape the server takes (2 or 3 letters, then subtags) and
 * Intl.getCanonicalLocales, as the server checks it.
 */
function canonicalTag(typed: string): string | null {
  // Written the POSIX way too ("fa_AF").
  const tag = typed.trim().replace(/_/g, '-');
  if (tag.length > 35 || !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
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
 * A language's name in itself ("پښتو"), so that a member who reads it finds it too: the
 * browser's, else the list's; null when neither knows it, or when it reads as `label`.
 */
function ownName(tag: string, label: string): string | null {
  let name: string | null = null;
  try {
    const names = new Intl.DisplayNames([tag], { type: 'language' });
    // A browser without the language's data names it in another language (its default one).
    if (names.resolvedOptions().locale.split('-')[0] === tag.split('-')[0]) name = names.of(tag) ?? null;
  } catch {
    // Not a tag the browser takes: the list's name, if any.
  }
  name = name && !sameTag(name, tag) ? name : (COMMON[tag] ?? null);
  return name && name.toLowerCase() !== label.toLowerCase() ? name : null;
}

/** How the list names a language: in the steward's words and in itself ("pachto — پښتو"), in itself with its code when the browser cannot name it otherwise ("Pulaar (ff)"). */
function optionText(tag: string): string {
  const name = languageLabel(tag);
  const itself = ownName(tag, name);
  if (!itself) return name;
  return sameTag(name, tag) ? `${itself} (${tag})` : ti('names.langOption', { name, own: itself });
}

/**
 * "Name in other languages": a compact group of fields, one per language; the interface's
 * languages always there, any other one the thing has with a button to remove it. Under them,
 * a steward adds a language: one of the house's common ones, by name, or any other by its code.
 */
export function OtherNames({ id, rows, onChange, disabled }: { id: string; rows: NameRow[]; onChange: (rows: NameRow[]) => void; disabled?: boolean }) {
  const own = offered();
  // After a row is removed, the keyboard goes to the field before it (the button pressed is gone);
  // after one is added, to its field, to type the name.
  const focusNext = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (focusNext.current) document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  }, [rows.length]);

  const [choice, setChoice] = useState('');
  const [typed, setTyped] = useState('');
  // What stops the language being added, said at the field it is about.
  const [problem, setProblem] = useState<{ key: string; at: 'choice' | 'tag'; tag?: string } | null>(null);
  // A language added by the form's save button, whose name is still to type: said at its field.
  const [waiting, setWaiting] = useState<string | null>(null);
  const full = rows.filter((r) => r.text.trim() !== '' || !own.includes(r.lang)).length >= MAX_NAMES;
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  // Named once per language shown and set of fields, not at every key typed in the form.
  const shownLangs = rows.map((r) => r.lang).join(' ');
  const choices = useMemo(
    () =>
      Object.keys(COMMON)
        .filter((c) => !rows.some((r) => sameTag(r.lang, c)))
        .map((c) => ({ tag: c, text: optionText(c) }))
        .sort((a, b) => a.text.localeCompare(b.text, intlLocale())),
    [intlLocale(), shownLangs],
  );
  const choiceId = `${id}-add`;
  const tagId = `${id}-add-tag`;
  const problemId = `${id}-add-error`;

  /** Adds the language chosen or typed: 'added', 'there' already (its field then), or 'refused' (none, or no language; said at its field). */
  function add(onSave = false): 'added' | 'there' | 'refused' {
    const other = choice === OTHER;
    const raw = other ? typed.trim() : choice;
    const tag = raw === '' ? null : canonicalTag(raw);
    if (!tag) {
      setProblem(raw === '' ? { key: other ? 'names.tagMissing' : 'names.chooseMissing', at: other ? 'tag' : 'choice' } : { key: 'names.tagInvalid', at: 'tag', tag: raw });
      document.getElementById(other ? tagId : choiceId)?.focus();
      return 'refused';
    }
    setProblem(null);
    setChoice('');
    setTyped('');
    // A language already there (typed by its code): its field, rather than a second one.
    const there = rows.find((r) => sameTag(r.lang, tag));
    if (there) {
      if (!onSave) document.getElementById(`${id}-${there.lang}`)?.focus();
      return 'there';
    }
    setWaiting(onSave ? tag : null);
    focusNext.current = `${id}-${tag}`;
    onChange([...rows, { lang: tag, text: '' }]);
    return 'added';
  }

  /**
   * Whether the form's save must wait for a language chosen (or whose code was typed) but not
   * added with its button. The language is added then, as the button would have: the steward
   * picked it to give a name in it, and there is no name yet to save, so saving without it would
   * drop what they meant, and refusing with "press Add first" would make them do what the form
   * can do. The keyboard goes to its new field, with why nothing was saved; pressing save again
   * saves (an empty field sends nothing). A code that is no language stops the save, said at it.
   */
  const holdsSave = useRef<() => boolean>(() => false);
  holdsSave.current = () => {
    if (disabled || full || choice === '' || (choice === OTHER && typed.trim() === '')) return false;
    return add(true) !== 'there';
  };
  // Every form that holds these fields, through its save button or Enter in any field, without
  // each form having to remember it: before the form's own submit handler (capture, at the document).
  useEffect(() => {
    const onSubmit = (e: Event) => {
      if (e.target !== fieldsetRef.current?.form || !holdsSave.current()) return;
      e.preventDefault();
      e.stopPropagation();
    };
    document.addEventListener('submit', onSubmit, true);
    return () => document.removeEventListener('submit', onSubmit, true);
  }, []);
  return (
    <fieldset ref={fieldsetRef} class="field-group other-names" data-testid="other-names" aria-describedby={`${id}-hint`}>
      <legend>{t('names.title')}</legend>
      <p class="hint" id={`${id}-hint`}>
        {t('names.hint')}
      </p>
      <div class="other-names-list">
        {rows.map((r, i) => {
          const fixed = own.includes(r.lang);
          const label = languageLabel(r.lang);
          const itself = fixed ? null : ownName(r.lang, label);
          // The browser may know no name for it in the steward's language: then its own name, or its code alone.
          const named = !sameTag(label, r.lang);
          const fieldId = `${id}-${r.lang}`;
          const waits = waiting !== null && sameTag(waiting, r.lang);
          return (
            <div class="field other-name" key={r.lang} data-testid="other-name" data-lang={r.lang}>
              <label for={fieldId} lang={languages.includes(r.lang) ? r.lang : undefined}>
                {named && label}
                {named && itself && ' — '}
                {itself && <bdi lang={r.lang}>{itself}</bdi>}
                {!named && !itself && r.lang}
                {/* The space outside the code's left-to-right span: in Arabic it would go to the code's far side. */}
                {!fixed && (named || itself) && (
                  <>
                    {' '}
                    <span class="muted" dir="ltr">
                      ({r.lang})
                    </span>
                  </>
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
                  aria-describedby={waits ? `${fieldId}-waiting` : undefined}
                  onInput={(e) => {
                    if (waits) setWaiting(null);
                    onChange(rows.map((x, j) => (j === i ? { ...x, text: e.currentTarget.value } : x)));
                  }}
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
                      if (waits) setWaiting(null);
                      onChange(rows.filter((_, j) => j !== i));
                    }}
                    data-testid="other-name-remove"
                  />
                )}
              </div>
              {waits && <FieldError id={`${fieldId}-waiting`}>{tb('names.addedOnSave', { lang: label })}</FieldError>}
            </div>
          );
        })}
      </div>
      {full ? (
        <p class="hint" data-testid="other-name-max">
          {t('names.max')}
        </p>
      ) : (
        <div class="other-name-add" data-testid="other-name-adder">
          <div class="field">
            <label for={choiceId}>{t('names.addLabel')}</label>
            <select
              id={choiceId}
              value={choice}
              disabled={disabled}
              aria-invalid={problem?.at === 'choice' ? true : undefined}
              aria-describedby={problem?.at === 'choice' ? problemId : undefined}
              onChange={(e) => {
                setChoice(e.currentTarget.value);
                setProblem(null);
              }}
              data-testid="other-name-choice"
            >
              <option value="">{t('names.choose')}</option>
              {choices.map((c) => (
                <option key={c.tag} value={c.tag}>
                  {c.text}
                </option>
              ))}
              <option value={OTHER}>{t('names.other')}</option>
            </select>
          </div>
          {choice === OTHER && (
            <div class="field">
              <label for={tagId}>{t('names.tag')}</label>
              <input
                id={tagId}
                dir="ltr"
                maxLength={35}
                autoComplete="off"
                autoCapitalize="none"
                spellcheck={false}
                value={typed}
                disabled={disabled}
                aria-invalid={problem?.at === 'tag' ? true : undefined}
                aria-describedby={problem?.at === 'tag' ? `${problemId} ${tagId}-hint` : `${tagId}-hint`}
                onInput={(e) => {
                  setTyped(e.currentTarget.value);
                  setProblem(null);
                }}
                // Enter adds the language, as the button does: it must not send the whole form.
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return;
                  e.preventDefault();
                  add();
                }}
                data-testid="other-name-tag"
              />
            </div>
          )}
          <Button icon="plus" disabled={disabled} onClick={() => add()} data-testid="other-name-add">
            {t('names.add')}
          </Button>
          {/* Under the button, so that it lines up with the fields. */}
          {choice === OTHER && (
            <p class="hint" id={`${tagId}-hint`}>
              {t('names.tagHint')}
            </p>
          )}
          {problem && <FieldError id={problemId}>{tb(problem.key, { tag: problem.tag ?? '' })}</FieldError>}
        </div>
      )}
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
