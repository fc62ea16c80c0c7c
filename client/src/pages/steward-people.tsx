// The steward's desk for people: invite someone (their one-time code shown once), see and
// change where a person belongs and what training they hold, and add a collective or a
// training (or rename or translate one).
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { HouseNameField, OtherNames, OtherNamesLine, nameRefused, useHouseNameForm } from '../components/other-names';
import { Button, CopyButton, ErrorBox, FieldError, Msg, Spinner, focusForm, tb } from '../components/ui';
import { useLoad } from '../hooks';
import { NAMES, byLocalName, languageName, languages, listOf, localName, t, ti } from '../i18n';
import { Icon } from '../icons';
import { Store, useStore } from '../store';
import { ZONE, dt, fmtDate, now, toApi } from '../time';
import type { IdName, Me, Membership, NamedThing, TariffTier } from '../types';
import { DateTime } from 'luxon';

/** A person in the picker: enough to find them, and for the tools a steward uses on them. */
export interface PickedPerson {
  id: string;
  displayName: string;
  handle: string | null;
  collectives: string[];
}

type CollectiveForm = 'INFORMAL' | 'ASBL' | 'COOPERATIVE' | 'OTHER';
type Role = Membership['role'];

interface CollectiveRow extends IdName {
  form: CollectiveForm;
  tariffTier: TariffTier;
  publicListing: boolean;
  description: string | null;
}

interface PersonDetail {
  id: string;
  displayName: string;
  handle: string | null;
  email: string | null;
  locale: string;
  roles: Me['roles'];
  memberships: Membership[];
  qualifications: { expiresAt: string | null; grantedAt: string; qualification: NamedThing }[];
}

const FORMS: CollectiveForm[] = ['INFORMAL', 'ASBL', 'COOPERATIVE', 'OTHER'];
const TIERS: TariffTier[] = ['SOLIDARITY', 'REDUCED', 'STANDARD'];
const ROLES: Role[] = ['MEMBER', 'COORDINATOR'];
/** The server's rule for a login name (PersonInput.handle). */
const HANDLE_PATTERN = /^(?!erased-)[a-z0-9][a-z0-9._-]{1,39}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** As on the invite page (invite.tsx) and the server (assertPasswordShape). */
const MIN_PASSWORD = 8;

/** Bumped when a collective is added: every list of collectives on the page loads again. */
const collectivesChanged = new Store(0);

/** Bumped when a training is added, renamed or translated: every list of trainings on the page (the spaces' too) loads again. */
export const trainingsChanged = new Store(0);

const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

/** Current or coming: not ended, and not withdrawn before it began (it ends when it starts). */
function counts(m: { startsAt: string; endsAt: string | null }, at = Date.now()): boolean {
  return !m.endsAt || (Date.parse(m.endsAt) > at && Date.parse(m.endsAt) > Date.parse(m.startsAt));
}

/** Focuses the first field the form marked wrong, so a keyboard or screen-reader user lands on it. */
function focusFirstInvalid(form: HTMLFormElement | null) {
  setTimeout(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}

/** The field someone else already has (handle, email, name), when the server says so. */
function takenField(err: unknown): string | null {
  return err instanceof ApiError && err.code === 'BAD_USER_INPUT' && err.extensions.reason === 'TAKEN' && typeof err.extensions.field === 'string' ? err.extensions.field : null;
}

/**
 * Keyboard users stay where they were: when the question `open` names closes without acting,
 * the focus goes back to the button that asked it (the "keep" answer takes it while it is open).
 * After acting, call the returned `forget()` first: the row may be gone.
 */
function useFocusBack(open: string | null, opener: (open: string) => HTMLElement | null | undefined): () => void {
  const last = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!open && last.current) opener(last.current)?.focus();
    last.current = open;
  }, [open]);
  return () => (last.current = null);
}

/** The collectives and trainings the forms offer; loaded again when a collective or a training is added or changed. */
function useChoices() {
  const version = useStore(collectivesChanged);
  const trainingsVersion = useStore(trainingsChanged);
  const loaded = useLoad(
    () =>
      gql<{ collectives: CollectiveRow[]; qualifications: NamedThing[] }>(
        `query PeopleChoices { collectives { id name form tariffTier publicListing description } qualifications { id name ${NAMES} } }`,
      ).then((d) => ({
        collectives: [...d.collectives].sort((a, b) => a.name.localeCompare(b.name)),
        qualifications: d.qualifications,
      })),
    [version, trainingsVersion],
  );
  // Trainings in the order of the names the reader sees, in the language shown now.
  const data = loaded.data && { ...loaded.data, qualifications: [...loaded.data.qualifications].sort(byLocalName) };
  return { ...loaded, data };
}

type PersonsAnswer = { persons: { id: string; displayName: string; handle: string | null; memberships: { startsAt: string; endsAt: string | null; collective: { name: string } }[] }[] };
const PERSONS_QUERY = 'query People($search: String) { persons(search: $search) { id displayName handle memberships { startsAt endsAt collective { name } } } }';

function toPicked(d: PersonsAnswer): PickedPerson[] {
  const at = Date.now();
  return d.persons.map((p) => ({
    id: p.id,
    displayName: p.displayName,
    handle: p.handle,
    collectives: [...new Set(p.memberships.filter((m) => counts(m, at)).map((m) => m.collective.name))],
  }));
}

/**
 * People: find a person (by name, login name or collective) and see their collectives,
 * trainings and, through `tools`, their badges; or invite someone new.
 */
export function PeoplePanel({ me, tools }: { me: Me; tools: (person: PickedPerson) => ComponentChildren }) {
  const people = useLoad(async () => {
    const list = toPicked(await gql<PersonsAnswer>(PERSONS_QUERY));
    if (!list.some((p) => p.id === me.id)) list.push({ id: me.id, displayName: me.displayName, handle: null, collectives: [] });
    return list;
  }, []);
  const choices = useChoices();
  const [filter, setFilter] = useState('');
  const [personId, setPersonId] = useState('');
  const [inviting, setInviting] = useState(false);
  const pickerRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const wasInviting = useRef(false);
  // Opening the form puts the keyboard in its first field; closing it, back on the button that opened it.
  useEffect(() => {
    if (inviting) focusForm(panelRef.current?.querySelector('[data-testid="invite-form"]'));
    else if (wasInviting.current) panelRef.current?.querySelector<HTMLElement>('[data-testid="invite-open"]')?.focus();
    wasInviting.current = inviting;
  }, [inviting]);
  // The server holds 200 people per answer: a name typed in the filter is also looked up there.
  const [found, setFound] = useState<PickedPerson[]>([]);
  const f = filter.trim().toLowerCase();
  useEffect(() => {
    if (f.length < 2) return;
    let stale = false;
    const id = setTimeout(() => {
      gql<PersonsAnswer>(PERSONS_QUERY, { search: f }).then(
        (d) => !stale && setFound(toPicked(d)),
        () => undefined,
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(id);
    };
  }, [f]);

  const all = useMemo(() => {
    const byId = new Map<string, PickedPerson>();
    for (const p of [...found, ...(people.data ?? [])]) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [people.data, found]);
  const shown = all.filter(
    (p) => !f || p.displayName.toLowerCase().includes(f) || (p.handle ?? '').includes(f) || p.collectives.some((c) => c.toLowerCase().includes(f)) || p.id === personId,
  );
  const person = all.find((p) => p.id === personId) ?? null;

  function open(id: string) {
    setFilter('');
    setPersonId(id);
    setTimeout(() => pickerRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }), 0);
  }

  return (
    <section ref={panelRef} class="card" aria-labelledby="people-h" data-testid="people-panel">
      <div class="card-head">
        <h2 id="people-h">
          <Icon name="person" /> {t('people.title')}
        </h2>
        {!inviting && (
          <Button variant="primary" icon="plus" onClick={() => setInviting(true)} data-testid="invite-open">
            {t('people.inviteOpen')}
          </Button>
        )}
      </div>
      {inviting && (
        <InvitePerson
          collectives={choices.data?.collectives ?? []}
          onInvited={() => people.reload()}
          onOpen={open}
          onClose={() => setInviting(false)}
        />
      )}
      {people.error ? <ErrorBox error={people.error} /> : null}
      <div ref={pickerRef} class="form people-picker">
        <div class="field">
          <label for="person-filter">{t('steward.findPerson')}</label>
          <input id="person-filter" type="search" value={filter} onInput={(e) => setFilter(value(e))} data-testid="person-filter" />
        </div>
        <div class="field">
          <label for="person-pick">{t('steward.person')}</label>
          <select id="person-pick" value={personId} onChange={(e) => setPersonId(value(e))} data-testid="person-picker">
            <option value="">{t('steward.choosePerson')}</option>
            {shown.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
                {p.collectives.length ? ` – ${listOf(p.collectives)}` : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      {person && (
        <div key={person.id} class="person-view">
          <PersonDetails me={me} person={person} collectives={choices.data?.collectives ?? []} qualifications={choices.data?.qualifications ?? []} onChanged={() => people.reload()} />
          {tools(person)}
        </div>
      )}
    </section>
  );
}

/** A copy button with its own words (beside another one, "Copy" alone would not say what). */
function CopyText({ text, label, testid }: { text: string; label: string; testid?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      icon={copied ? 'check' : 'link'}
      variant="ghost"
      data-testid={testid}
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => undefined,
        )
      }
    >
      {copied ? t('common.copied') : label}
    </Button>
  );
}

interface Invited {
  id: string;
  displayName: string;
  handle: string;
  code: string;
  expiresAt: string;
  collective: string | null;
}

/**
 * A one-time code to hand over (an invitation, or a new code for a lost one): shown once, so it
 * stands out, with the login name, what to do with it, until when it works, and a link to send.
 * Keyboard and screen-reader users land on it; everyone sees it.
 */
function CodeCard({
  idPrefix,
  testid,
  title,
  code,
  login,
  expiresAt,
  children,
  actions,
}: {
  idPrefix: string;
  testid: string;
  title: ComponentChildren;
  code: string;
  login: string;
  expiresAt: string;
  children?: ComponentChildren;
  actions: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [code]);
  const address = `${location.host}/invite`;
  const link = `${location.origin}/invite?code=${encodeURIComponent(code)}`;
  return (
    <div ref={ref} class="invite-result" data-testid={testid} role="region" aria-labelledby={`${idPrefix}-title`} tabIndex={-1}>
      <p class="invite-result-title" id={`${idPrefix}-title`}>
        <Icon name="check" /> <span>{title}</span>
      </p>
      {children}
      <p class="invite-once">
        <Icon name="alert" /> <strong>{t('people.codeOnce')}</strong>
      </p>
      <dl class="invite-facts">
        <div>
          <dt>{t('people.code')}</dt>
          <dd>
            <code class="invite-code" dir="ltr" data-testid="invite-code-shown">
              {code}
            </code>
            <CopyButton text={code} />
          </dd>
        </div>
        <div>
          <dt>{t('people.loginName')}</dt>
          <dd>
            <code class="invite-handle" dir="ltr" data-testid="invite-handle">
              {login}
            </code>
          </dd>
        </div>
        <div>
          <dt>{t('people.codeExpires')}</dt>
          <dd>
            <time dateTime={expiresAt} data-testid="invite-expires">
              {fmtDate(dt(expiresAt))}
            </time>
          </dd>
        </div>
      </dl>
      <ol class="invite-steps">
        <li>{tb('people.step1', { address: <code dir="ltr">{address}</code> })}</li>
        <li>{t('people.step2', { n: MIN_PASSWORD })}</li>
        <li>{tb('people.step3', { handle: <code dir="ltr">{login}</code> })}</li>
      </ol>
      <div class="actions">
        <CopyText text={link} label={t('people.copyLink')} testid="invite-copy-link" />
      </div>
      <p class="hint">{t('people.copyLinkHint')}</p>
      <div class="actions">{actions}</div>
    </div>
  );
}

/** Invite a new person: the code they redeem at /invite is shown once, here. */
function InvitePerson({
  collectives,
  onInvited,
  onOpen,
  onClose,
}: {
  collectives: IdName[];
  onInvited: (id: string) => void;
  onOpen: (id: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState('fr');
  const [collectiveId, setCollectiveId] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invited, setInvited] = useState<Invited | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const cleanHandle = handle.trim().toLowerCase();
  const cleanEmail = email.trim();
  const nameProblem = tried && name.trim() === '' ? 'people.nameMissing' : null;
  const taken = takenField(error);
  const handleProblem = tried && cleanHandle !== '' && !HANDLE_PATTERN.test(cleanHandle) ? 'people.handleInvalid' : taken === 'handle' ? 'people.handleTaken' : null;
  const emailProblem = tried && cleanEmail !== '' && !EMAIL_PATTERN.test(cleanEmail) ? 'people.emailInvalid' : taken === 'email' ? 'people.emailTaken' : null;

  async function submit(e: Event) {
    e.preventDefault();
    setTried(true);
    setError(null);
    const wrong = name.trim() === '' || (cleanHandle !== '' && !HANDLE_PATTERN.test(cleanHandle)) || (cleanEmail !== '' && !EMAIL_PATTERN.test(cleanEmail));
    if (wrong) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      const collective = collectives.find((c) => c.id === collectiveId) ?? null;
      // One request: the person is created in the collective, or not at all.
      const d = await gql<{ createPerson: { inviteCode: string; inviteExpiresAt: string; person: { id: string; displayName: string; handle: string } } }>(
        'mutation Invite($input: PersonInput!) { createPerson(input: $input) { inviteCode inviteExpiresAt person { id displayName handle } } }',
        { input: { displayName: name.trim(), handle: cleanHandle || null, email: cleanEmail || null, locale, membership: collective ? { collectiveId: collective.id, role } : null } },
      );
      const p = d.createPerson.person;
      setInvited({ id: p.id, displayName: p.displayName, handle: p.handle, code: d.createPerson.inviteCode, expiresAt: d.createPerson.inviteExpiresAt, collective: collective?.name ?? null });
      setName('');
      setHandle('');
      setEmail('');
      setLocale('fr');
      setCollectiveId('');
      setRole('MEMBER');
      setTried(false);
      onInvited(p.id);
    } catch (err) {
      setError(err);
      if (takenField(err)) focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  }

  if (invited) {
    return (
      <CodeCard
        idPrefix="invite-result"
        testid="invite-result"
        title={tb(invited.collective ? 'people.invitedIn' : 'people.invited', { name: invited.displayName, collective: invited.collective ?? '' })}
        code={invited.code}
        login={invited.handle}
        expiresAt={invited.expiresAt}
        actions={
          <>
            <Button variant="primary" icon="person" onClick={() => onOpen(invited.id)} data-testid="invite-open-person">
              {tb('people.openPerson', { name: invited.displayName })}
            </Button>
            <Button icon="plus" onClick={() => setInvited(null)} data-testid="invite-another">
              {t('people.inviteAnother')}
            </Button>
            <Button variant="ghost" icon="close" onClick={() => { setInvited(null); onClose(); }} data-testid="invite-done">
              {t('people.inviteDone')}
            </Button>
          </>
        }
      />
    );
  }

  return (
    <form ref={formRef} class="form subform" onSubmit={submit} data-testid="invite-form" noValidate>
      <h3 class="subform-title" tabIndex={-1}>
        {t('people.inviteTitle')}
      </h3>
      <p class="hint">{t('people.inviteHint')}</p>
      <div class="field">
        <label for="invite-name">{t('people.name')}</label>
        <input
          id="invite-name"
          dir="auto"
          required
          maxLength={100}
          autoComplete="off"
          value={name}
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={nameProblem ? 'invite-name-error' : 'invite-name-hint'}
          onInput={(e) => setName(value(e))}
          data-testid="invite-name"
        />
        {nameProblem && <FieldError id="invite-name-error">{t('people.nameMissing')}</FieldError>}
        <p class="hint" id="invite-name-hint">{t('people.nameHint')}</p>
      </div>
      <div class="field">
        <label for="invite-handle">{t('people.handle')}</label>
        <input
          id="invite-handle"
          dir="ltr"
          maxLength={40}
          autoCapitalize="none"
          autoComplete="off"
          spellcheck={false}
          value={handle}
          aria-invalid={handleProblem ? true : undefined}
          aria-describedby={handleProblem ? 'invite-handle-error invite-handle-hint' : 'invite-handle-hint'}
          onInput={(e) => {
            setHandle(value(e).toLowerCase());
            if (taken === 'handle') setError(null);
          }}
          data-testid="invite-handle-input"
        />
        {handleProblem && <FieldError id="invite-handle-error">{t(handleProblem)}</FieldError>}
        <p class="hint" id="invite-handle-hint">{t('people.handleHint')}</p>
      </div>
      <div class="field">
        <label for="invite-email">{t('people.email')}</label>
        <input
          id="invite-email"
          type="email"
          dir="ltr"
          maxLength={254}
          autoCapitalize="none"
          autoComplete="off"
          spellcheck={false}
          value={email}
          aria-invalid={emailProblem ? true : undefined}
          aria-describedby={emailProblem ? 'invite-email-error invite-email-hint' : 'invite-email-hint'}
          onInput={(e) => {
            setEmail(value(e));
            if (taken === 'email') setError(null);
          }}
          data-testid="invite-email"
        />
        {emailProblem && <FieldError id="invite-email-error">{t(emailProblem)}</FieldError>}
        <p class="hint" id="invite-email-hint">{t('people.emailHint')}</p>
      </div>
      <div class="field">
        <label for="invite-locale">{t('people.language')}</label>
        <select id="invite-locale" value={locale} onChange={(e) => setLocale(value(e))} data-testid="invite-locale" aria-describedby="invite-locale-hint">
          {languages.map((l) => (
            <option key={l} value={l} lang={l}>
              {languageName(l)}
            </option>
          ))}
        </select>
        <p class="hint" id="invite-locale-hint">{t('people.languageHint')}</p>
      </div>
      <div class="field">
        <label for="invite-collective">{t('people.joinCollective')}</label>
        <select id="invite-collective" value={collectiveId} onChange={(e) => setCollectiveId(value(e))} data-testid="invite-collective">
          <option value="">{t('people.noCollectiveYet')}</option>
          {collectives.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {collectiveId && <RoleSelect id="invite-role" value={role} onChange={setRole} testid="invite-role" />}
      <ErrorBox error={taken ? null : error} context="person" />
      <div class="actions">
        <Button type="submit" variant="primary" icon="ticket" disabled={busy} data-testid="invite-submit">
          {busy ? t('common.wait') : t('people.inviteSubmit')}
        </Button>
        <Button variant="ghost" icon="close" onClick={onClose} data-testid="invite-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

function RoleSelect({ id, value: role, onChange, testid }: { id: string; value: Role; onChange: (r: Role) => void; testid: string }) {
  return (
    <div class="field">
      <label for={id}>{t('people.role')}</label>
      <select id={id} value={role} onChange={(e) => onChange(value(e) as Role)} aria-describedby={`${id}-hint`} data-testid={testid}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`people.role.${r}`)}
          </option>
        ))}
      </select>
      <p class="hint" id={`${id}-hint`}>
        {t('people.roleHint')}
      </p>
    </div>
  );
}

/** One person: login name, a new code, collectives (end one, add one), trainings (grant, renew or withdraw one). */
function PersonDetails({
  me,
  person,
  collectives,
  qualifications,
  onChanged,
}: {
  me: Me;
  person: PickedPerson;
  collectives: IdName[];
  qualifications: NamedThing[];
  onChanged: () => void;
}) {
  // Again when a training is renamed or translated in the trainings' panel.
  const trainingsVersion = useStore(trainingsChanged);
  const detail = useLoad(
    () =>
      gql<{ person: PersonDetail | null }>(
        `query PersonDetail($id: ID!) { person(id: $id) {
          id displayName handle email locale roles
          memberships { id role startsAt endsAt collective { id name } }
          qualifications { expiresAt grantedAt qualification { id name ${NAMES} } }
        } }`,
        { id: person.id },
      ).then((d) => d.person),
    [person.id, trainingsVersion],
  );
  const p = detail.data;
  const changed = () => {
    detail.reload();
    onChanged();
  };

  return (
    <div class="person-details" data-testid="person-details">
      <h3>
        <bdi>{person.displayName}</bdi>
      </h3>
      {detail.error ? <ErrorBox error={detail.error} /> : null}
      {detail.loading && !p && <Spinner />}
      {p && (
        <>
          <dl class="details">
            <div>
              <dt>{t('people.loginName')}</dt>
              <dd>
                <code dir="ltr" data-testid="person-handle">{p.handle ?? '—'}</code>
              </dd>
            </div>
            <div>
              <dt>{t('account.email')}</dt>
              <dd dir={p.email ? 'ltr' : undefined}>{p.email ?? <span class="muted">{t('people.noEmail')}</span>}</dd>
            </div>
            <div>
              <dt>{t('people.language')}</dt>
              <dd>{languageName(p.locale)}</dd>
            </div>
          </dl>
          <NewCode person={p} mayGive={me.roles.includes('ADMIN') || p.roles.every((r) => r === 'MEMBER')} />
          <PersonMemberships person={p} collectives={collectives} onChanged={changed} />
          <PersonQualifications person={p} qualifications={qualifications} onChanged={changed} />
        </>
      )}
    </div>
  );
}

/**
 * A lost code or a forgotten password: a new one-time code, shown like an invitation's. The old
 * code stops working; the password works until the new code is used (so a code given by mistake
 * locks no one out), and using it signs the person out on their other devices.
 */
function NewCode({ person, mayGive }: { person: PersonDetail; mayGive: boolean }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [given, setGiven] = useState<{ code: string; login: string; expiresAt: string } | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  // Back on the button when they keep things as they are or close the code.
  useFocusBack(confirm || given ? 'open' : null, () => boxRef.current?.querySelector<HTMLElement>('[data-testid="new-code"]'));

  async function give() {
    setBusy(true);
    setError(null);
    try {
      const d = await gql<{ resetInvite: { inviteCode: string; inviteExpiresAt: string; person: { handle: string | null; email: string | null } } }>(
        'mutation NewCode($personId: ID!) { resetInvite(personId: $personId) { inviteCode inviteExpiresAt person { handle email } } }',
        { personId: person.id },
      );
      const r = d.resetInvite;
      setConfirm(false);
      setGiven({ code: r.inviteCode, login: r.person.handle ?? r.person.email ?? '', expiresAt: r.inviteExpiresAt });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div ref={boxRef} class="person-section" data-testid="person-new-code">
      <h4>
        <Icon name="key" /> {t('people.newCodeTitle')}
      </h4>
      <p class="hint">{t(mayGive ? 'people.newCodeHint' : 'people.newCodeAdminOnly')}</p>
      {given ? (
        <CodeCard
          idPrefix="new-code-result"
          testid="new-code-result"
          title={tb('people.newCodeGiven', { name: person.displayName })}
          code={given.code}
          login={given.login}
          expiresAt={given.expiresAt}
          actions={
            <Button variant="ghost" icon="close" onClick={() => setGiven(null)} data-testid="new-code-close">
              {t('people.inviteDone')}
            </Button>
          }
        >
          <p>{t('people.newCodeOld')}</p>
        </CodeCard>
      ) : confirm ? (
        <div class="confirm-box" role="group" aria-labelledby="new-code-q" data-testid="new-code-confirm-box">
          <p id="new-code-q">
            <strong>{tb('people.newCodeQ', { name: person.displayName })}</strong>
          </p>
          <ul class="confirm-points">
            <li>{t('people.newCodeOldStops')}</li>
            <li>{t('people.newCodePasswordWorks')}</li>
            <li>{t('people.newCodeSignsOut')}</li>
          </ul>
          <div class="actions">
            <Button variant="danger" icon="check" disabled={busy} onClick={give} data-testid="new-code-confirm">
              {t('people.newCodeYes')}
            </Button>
            <Button focusOnMount onClick={() => setConfirm(false)} data-testid="new-code-keep">
              {t('people.newCodeKeep')}
            </Button>
          </div>
        </div>
      ) : (
        mayGive && (
          <div class="actions">
            <Button icon="key" onClick={() => { setError(null); setConfirm(true); }} data-testid="new-code">
              {t('people.newCode')}
            </Button>
          </div>
        )
      )}
      <ErrorBox error={error} context="newCode" />
    </div>
  );
}

function PersonMemberships({ person, collectives, onChanged }: { person: PersonDetail; collectives: IdName[]; onChanged: () => void }) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [errorContext, setErrorContext] = useState('membership');
  const [done, setDone] = useState<ComponentChildren>(null);
  const [collectiveId, setCollectiveId] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const forgetConfirm = useFocusBack(confirm, (id) => listRef.current?.querySelector<HTMLElement>(`[data-membership-id="${id}"] [data-testid="membership-end"]`));

  const at = Date.now();
  const list = person.memberships.filter((m) => counts(m, at)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const held = new Set(list.map((m) => m.collective.id));
  const offered = collectives.filter((c) => !held.has(c.id));
  const missing = tried && collectiveId === '';

  async function end(m: Membership) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // No date: the server ends it now (or withdraws one that has not begun), by its own clock.
      await gql('mutation EndMembership($id: ID!) { endMembership(id: $id) { id endsAt } }', { id: m.id });
      forgetConfirm();
      setConfirm(null);
      setDone(tb(Date.parse(m.startsAt) > Date.now() ? 'people.withdrawnDone' : 'people.endedDone', { name: person.displayName, collective: m.collective.name }));
      onChanged();
    } catch (err) {
      setErrorContext('endMembership');
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function add(e: Event) {
    e.preventDefault();
    setTried(true);
    setError(null);
    setDone(null);
    if (collectiveId === '') {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      await gql('mutation AddMembership($input: MembershipInput!) { addMembership(input: $input) { id } }', { input: { personId: person.id, collectiveId, role } });
      const name = collectives.find((c) => c.id === collectiveId)?.name ?? '';
      setDone(tb('people.addedDone', { name: person.displayName, collective: name }));
      setCollectiveId('');
      setRole('MEMBER');
      setTried(false);
      onChanged();
    } catch (err) {
      setErrorContext('membership');
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="person-section" data-testid="person-memberships">
      <h4>
        <Icon name="home" /> {t('people.collectives')}
      </h4>
      {list.length === 0 && <p class="empty">{t('people.noMembership')}</p>}
      <ul ref={listRef} class="badge-list">
        {list.map((m) => {
          const coming = Date.parse(m.startsAt) > at;
          return (
            <li key={m.id} class="badge-item" data-testid="membership" data-membership-id={m.id} data-collective={m.collective.name}>
              <div>
                <strong>
                  <bdi>{m.collective.name}</bdi>
                </strong>{' '}
                <span class="chip">{t(`people.role.${m.role}`)}</span>
                <p class="hint">
                  {t(coming ? 'people.startsOn' : 'people.since', { date: fmtDate(dt(m.startsAt)) })}
                  {m.endsAt && <> · {t('account.until', { date: fmtDate(dt(m.endsAt)) })}</>}
                </p>
              </div>
              {confirm === m.id ? (
                <div key="confirm" class="actions confirm-box" role="group" aria-label={t(coming ? 'people.withdraw' : 'people.end')}>
                  <span>{tb(coming ? 'people.withdrawQ' : 'people.endQ', { name: person.displayName, collective: m.collective.name })}</span>
                  <Button variant="danger" icon="check" disabled={busy} onClick={() => end(m)} data-testid="membership-end-confirm">
                    {t(coming ? 'people.withdrawYes' : 'people.endYes')}
                  </Button>
                  <Button focusOnMount onClick={() => setConfirm(null)} data-testid="membership-end-keep">
                    {t('people.endKeep')}
                  </Button>
                </div>
              ) : (
                <div key="actions" class="actions">
                  <Button variant="danger" icon="logout" flipIcon onClick={() => { setDone(null); setConfirm(m.id); }} data-testid="membership-end">
                    {t(coming ? 'people.withdraw' : 'people.end')}
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <form ref={formRef} class="form subform" onSubmit={add} data-testid="add-membership-form" noValidate>
        <h5 class="subform-title">{t('people.addTitle')}</h5>
        <div class="field">
          <label for="membership-collective">{t('people.collective')}</label>
          <select
            id="membership-collective"
            value={collectiveId}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'membership-collective-error' : undefined}
            onChange={(e) => setCollectiveId(value(e))}
            data-testid="membership-collective"
          >
            <option value="">{t('steward.choose')}</option>
            {offered.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {missing && <FieldError id="membership-collective-error">{t('people.collectiveMissing')}</FieldError>}
        </div>
        <RoleSelect id="membership-role" value={role} onChange={setRole} testid="membership-role" />
        <div class="actions">
          <Button type="submit" variant="primary" icon="plus" disabled={busy} data-testid="membership-add">
            {t('people.addSubmit')}
          </Button>
        </div>
      </form>
      {done && <Msg kind="ok" testid="membership-done">{done}</Msg>}
      <ErrorBox error={error} context={errorContext} />
    </div>
  );
}

type Grant = PersonDetail['qualifications'][number];

/** Ended: withdrawn, or past its end date. */
const ended = (g: Grant, at: number) => g.expiresAt !== null && Date.parse(g.expiresAt) <= at;

function PersonQualifications({ person, qualifications, onChanged }: { person: PersonDetail; qualifications: NamedThing[]; onChanged: () => void }) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const [revoked, setRevoked] = useState<ComponentChildren>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const forgetConfirm = useFocusBack(confirm, (id) => listRef.current?.querySelector<HTMLElement>(`[data-qualification-id="${id}"] [data-testid="grant-revoke"]`));
  const [qualificationId, setQualificationId] = useState('');
  const [until, setUntil] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ComponentChildren>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const at = Date.now();
  const today = now().toISODate()!;
  // Current ones first, then the ended ones, each by name.
  const grants = [...person.qualifications].sort((a, b) => Number(ended(a, at)) - Number(ended(b, at)) || byLocalName(a.qualification, b.qualification));
  const missing = tried && qualificationId === '';
  // A date input gives YYYY-MM-DD (or '' when empty or half typed).
  const untilError = until === '' ? null : !DateTime.fromISO(until, { zone: ZONE }).isValid ? 'people.untilInvalid' : until < today ? 'people.untilPast' : null;
  const untilProblem = tried ? untilError : null;
  const held = grants.find((g) => g.qualification.id === qualificationId);

  async function revoke(g: Grant) {
    setRevoking(true);
    setRevokeError(null);
    setRevoked(null);
    setError(null);
    setDone(null);
    try {
      // The server ends it now, by its own clock; it stays listed, ended.
      await gql('mutation Withdraw($personId: ID!, $qualificationId: ID!) { revokeQualification(personId: $personId, qualificationId: $qualificationId) { expiresAt } }', {
        personId: person.id,
        qualificationId: g.qualification.id,
      });
      forgetConfirm();
      setConfirm(null);
      setRevoked(tb('people.revokedDone', { name: person.displayName, qualification: localName(g.qualification) }));
      onChanged();
    } catch (err) {
      setRevokeError(err);
      // Withdrawn or ended meanwhile (another desk, its end date): show the list as it is now.
      if (err instanceof ApiError && (err.code === 'INVALID_STATE' || err.code === 'NOT_FOUND')) {
        forgetConfirm();
        setConfirm(null);
        onChanged();
      }
    } finally {
      setRevoking(false);
    }
  }

  async function grant(e: Event) {
    e.preventDefault();
    setTried(true);
    setError(null);
    setRevokeError(null);
    setRevoked(null);
    setDone(null);
    if (qualificationId === '' || untilError) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      // Valid through the chosen day, in the house's time.
      const expiresAt = until ? toApi(DateTime.fromISO(until, { zone: ZONE }).endOf('day')) : null;
      await gql('mutation Grant($personId: ID!, $qualificationId: ID!, $expiresAt: DateTime) { grantQualification(personId: $personId, qualificationId: $qualificationId, expiresAt: $expiresAt) { grantedAt } }', {
        personId: person.id,
        qualificationId,
        expiresAt,
      });
      const granted = qualifications.find((q) => q.id === qualificationId);
      setDone(tb('people.grantedDone', { name: person.displayName, qualification: granted ? localName(granted) : '' }));
      setQualificationId('');
      setUntil('');
      setTried(false);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="person-section" data-testid="person-qualifications">
      <h4>
        <Icon name="check" /> {t('people.qualifications')}
      </h4>
      {grants.length === 0 && <p class="empty">{t('people.noQualification')}</p>}
      <ul ref={listRef} class="badge-list">
        {grants.map((g) => {
          const over = ended(g, at);
          return (
            <li
              key={g.qualification.id}
              class={`badge-item${over ? ' grant-ended' : ''}`}
              data-testid="grant"
              data-qualification={g.qualification.name}
              data-qualification-id={g.qualification.id}
              data-expired={over ? 'yes' : 'no'}
            >
              <div>
                <strong>
                  <bdi>{localName(g.qualification)}</bdi>
                </strong>{' '}
                <span class={`chip ${over ? 'chip-badge-revoked' : 'chip-badge-active'}`} data-testid="grant-state">
                  {t(over ? 'people.expired' : 'people.valid')}
                </span>
                <p class="hint">
                  {g.expiresAt ? t(over ? 'people.expiredOn' : 'people.validUntil', { date: fmtDate(dt(g.expiresAt)) }) : t('people.noExpiry')}
                  {' · '}
                  {t('people.grantedOn', { date: fmtDate(dt(g.grantedAt)) })}
                </p>
              </div>
              {over ? null : confirm === g.qualification.id ? (
                <div key="confirm" class="actions confirm-box" role="group" aria-label={t('people.revoke')}>
                  <span>{tb('people.revokeQ', { name: person.displayName, qualification: localName(g.qualification) })}</span>
                  <Button variant="danger" icon="check" disabled={revoking} onClick={() => revoke(g)} data-testid="grant-revoke-confirm">
                    {t('people.revokeYes')}
                  </Button>
                  <Button focusOnMount onClick={() => setConfirm(null)} data-testid="grant-revoke-keep">
                    {t('people.revokeKeep')}
                  </Button>
                </div>
              ) : (
                <div key="actions" class="actions">
                  <Button variant="danger" icon="minus" onClick={() => { setDone(null); setRevoked(null); setRevokeError(null); setConfirm(g.qualification.id); }} data-testid="grant-revoke">
                    {t('people.revoke')}
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {revoked && <Msg kind="ok" testid="grant-revoked-done">{revoked}</Msg>}
      <ErrorBox error={revokeError} context="revokeGrant" />
      <form ref={formRef} class="form subform" onSubmit={grant} data-testid="grant-form" noValidate>
        <h5 class="subform-title">{t('people.grantTitle')}</h5>
        <div class="field">
          <label for="grant-qualification">{t('people.qualification')}</label>
          <select
            id="grant-qualification"
            value={qualificationId}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'grant-qualification-error' : undefined}
            onChange={(e) => setQualificationId(value(e))}
            data-testid="grant-qualification"
          >
            <option value="">{t('steward.choose')}</option>
            {qualifications.map((q) => (
              <option key={q.id} value={q.id}>
                {localName(q)}
              </option>
            ))}
          </select>
          {missing && <FieldError id="grant-qualification-error">{t('people.qualificationMissing')}</FieldError>}
          {held && <p class="hint">{t(ended(held, at) ? 'people.renewEndedHint' : 'people.renewHint')}</p>}
        </div>
        <div class="field">
          <label for="grant-until">{t('people.until')}</label>
          <input
            id="grant-until"
            type="date"
            min={today}
            value={until}
            aria-invalid={untilProblem ? true : undefined}
            aria-describedby={untilProblem ? 'grant-until-error grant-until-hint' : 'grant-until-hint'}
            onInput={(e) => setUntil(value(e))}
            data-testid="grant-until"
          />
          {untilProblem && <FieldError id="grant-until-error">{t(untilProblem)}</FieldError>}
          <p class="hint" id="grant-until-hint">{t('people.untilHint')}</p>
        </div>
        <div class="actions">
          <Button type="submit" variant="primary" icon="check" disabled={busy} data-testid="grant-submit">
            {t('people.grantSubmit')}
          </Button>
        </div>
      </form>
      {done && <Msg kind="ok" testid="grant-done">{done}</Msg>}
      <ErrorBox error={error} context="grant" />
    </div>
  );
}

/** The house's collectives, and a form to add one (its tier sets its prices). */
export function CollectivesPanel() {
  const choices = useChoices();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [form, setForm] = useState<CollectiveForm>('INFORMAL');
  const [tier, setTier] = useState<TariffTier | ''>('');
  const [listed, setListed] = useState(false);
  const [description, setDescription] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const panelRef = useRef<HTMLElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) focusForm(formRef.current);
    else if (wasOpen.current) panelRef.current?.querySelector<HTMLElement>('[data-testid="collective-open"]')?.focus();
    wasOpen.current = open;
  }, [open]);

  const taken = takenField(error) === 'name';
  const nameProblem = tried && name.trim() === '' ? 'people.collectiveNameMissing' : taken ? 'people.collectiveNameTaken' : null;
  const tierMissing = tried && tier === '';
  const list = choices.data?.collectives ?? [];

  async function create(e: Event) {
    e.preventDefault();
    setTried(true);
    setError(null);
    setDone(null);
    if (name.trim() === '' || tier === '') {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      const d = await gql<{ createCollective: { id: string; name: string } }>(
        'mutation NewCollective($input: CollectiveInput!) { createCollective(input: $input) { id name } }',
        { input: { name: name.trim(), form, tariffTier: tier, publicListing: listed, description: description.trim() || null } },
      );
      setDone(d.createCollective.name);
      setName('');
      setForm('INFORMAL');
      setTier('');
      setListed(false);
      setDescription('');
      setTried(false);
      setOpen(false);
      collectivesChanged.set(collectivesChanged.get() + 1);
    } catch (err) {
      setError(err);
      if (takenField(err) === 'name') focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section ref={panelRef} class="card" aria-labelledby="collectives-h" data-testid="collectives-panel">
      <div class="card-head">
        <h2 id="collectives-h">
          <Icon name="home" /> {t('people.collectivesTitle')}
          {list.length > 0 && <span class="count">{list.length}</span>}
        </h2>
        {!open && (
          <Button variant="primary" icon="plus" onClick={() => { setDone(null); setOpen(true); }} data-testid="collective-open">
            {t('people.collectiveOpen')}
          </Button>
        )}
      </div>
      {done && <Msg kind="ok" testid="collective-done">{tb('people.collectiveDone', { name: done })}</Msg>}
      {open && (
        <form ref={formRef} class="form subform" onSubmit={create} data-testid="collective-form" noValidate>
          <h3 class="subform-title" tabIndex={-1}>
            {t('people.collectiveTitle')}
          </h3>
          <div class="field">
            <label for="collective-name">{t('people.collectiveName')}</label>
            <input
              id="collective-name"
              dir="auto"
              required
              maxLength={120}
              value={name}
              aria-invalid={nameProblem ? true : undefined}
              aria-describedby={nameProblem ? 'collective-name-error' : undefined}
              onInput={(e) => {
                setName(value(e));
                if (taken) setError(null);
              }}
              data-testid="collective-name"
            />
            {nameProblem && <FieldError id="collective-name-error">{t(nameProblem)}</FieldError>}
          </div>
          <div class="field">
            <label for="collective-form">{t('people.collectiveForm')}</label>
            <select id="collective-form" value={form} onChange={(e) => setForm(value(e) as CollectiveForm)} data-testid="collective-form-select">
              {FORMS.map((f) => (
                <option key={f} value={f}>
                  {t(`people.form.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="collective-tier">{t('people.tier')}</label>
            <select
              id="collective-tier"
              required
              value={tier}
              aria-invalid={tierMissing ? true : undefined}
              aria-describedby={tierMissing ? 'collective-tier-error collective-tier-hint' : 'collective-tier-hint'}
              onChange={(e) => setTier(value(e) as TariffTier)}
              data-testid="collective-tier"
            >
              <option value="">{t('steward.choose')}</option>
              {TIERS.map((x) => (
                <option key={x} value={x}>
                  {t(`people.tier.${x}`)}
                </option>
              ))}
            </select>
            {tierMissing && <FieldError id="collective-tier-error">{t('people.tierMissing')}</FieldError>}
            <p class="hint" id="collective-tier-hint">{t('people.tierHint')}</p>
          </div>
          <div class="field">
            <div class="check-field field">
              <input id="collective-listed" type="checkbox" checked={listed} onChange={(e) => setListed((e.currentTarget as HTMLInputElement).checked)} aria-describedby="collective-listed-hint" data-testid="collective-listed" />
              <label for="collective-listed">{t('people.listed')}</label>
            </div>
            <p class="hint" id="collective-listed-hint">{t('people.listedHint')}</p>
          </div>
          <div class="field">
            <label for="collective-description">{t('people.description')}</label>
            <textarea
              id="collective-description"
              dir="auto"
              rows={3}
              maxLength={2000}
              value={description}
              aria-describedby="collective-description-hint"
              onInput={(e) => setDescription(value(e))}
              data-testid="collective-description"
            />
            <p class="hint" id="collective-description-hint">{t('people.descriptionHint')}</p>
          </div>
          <ErrorBox error={taken ? null : error} context="collective" />
          <div class="actions">
            <Button type="submit" variant="primary" icon="plus" disabled={busy} data-testid="collective-submit">
              {busy ? t('common.wait') : t('people.collectiveSubmit')}
            </Button>
            <Button variant="ghost" icon="close" onClick={() => { setOpen(false); setTried(false); setError(null); }} data-testid="collective-cancel">
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
      {choices.error ? <ErrorBox error={choices.error} /> : null}
      {choices.loading && !choices.data && <Spinner />}
      <ul class="badge-list collective-list">
        {list.map((c) => (
          <li key={c.id} class="badge-item" data-testid="collective" data-collective-id={c.id}>
            <div>
              <strong>
                <bdi>{c.name}</bdi>
              </strong>
              <p class="chips">
                <span class="chip">{t(`people.form.${c.form}`)}</span>
                <span class="chip">{t(`people.tier.${c.tariffTier}`)}</span>
                {c.publicListing && (
                  <span class="chip chip-badge-active">
                    {t('people.listedChip')}
                  </span>
                )}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

const trainingNameRefused = (err: unknown) => nameRefused(err, { taken: 'trainings.nameTaken', invalid: 'trainings.nameInvalid' });

/**
 * The house's trainings (food hygiene, the laser cutter's induction), which some spaces require:
 * a steward renames one or gives its name in other languages (who holds it does not change),
 * or adds one.
 */
export function TrainingsPanel() {
  const choices = useChoices();
  const list = choices.data?.qualifications ?? [];
  /** The training whose form is open, 'new' for a new one. */
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ name: string; created: boolean } | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const lastEditing = useRef<string | null>(null);

  // Closing a form puts the keyboard back on the button that opened it.
  useLayoutEffect(() => {
    if (!editing && lastEditing.current) {
      const opener = lastEditing.current === 'new' ? '[data-testid="training-new"]' : `[data-training-id="${lastEditing.current}"] [data-testid="training-edit"]`;
      panelRef.current?.querySelector<HTMLElement>(opener)?.focus();
    }
    lastEditing.current = editing;
  }, [editing]);

  const open = (id: string) => {
    setSaved(null);
    setEditing(id);
  };
  const done = (name: string, created: boolean) => {
    setSaved({ name, created });
    setEditing(null);
    trainingsChanged.set(trainingsChanged.get() + 1);
  };

  return (
    <section ref={panelRef} class="card" aria-labelledby="trainings-h" data-testid="trainings-panel">
      <div class="card-head">
        <h2 id="trainings-h">
          <Icon name="check" /> {t('trainings.title')}
          {list.length > 0 && <span class="count">{list.length}</span>}
        </h2>
        {editing !== 'new' && (
          <Button variant="primary" icon="plus" onClick={() => open('new')} data-testid="training-new">
            {t('trainings.new')}
          </Button>
        )}
      </div>
      <p class="hint">{t('trainings.hint')}</p>
      {saved && (
        <Msg kind="ok" testid="training-saved">
          {tb(saved.created ? 'trainings.created' : 'trainings.saved', { name: saved.name })}
        </Msg>
      )}
      {editing === 'new' && <TrainingForm training={null} onSaved={(name) => done(name, true)} onCancel={() => setEditing(null)} />}
      {choices.error ? <ErrorBox error={choices.error} /> : null}
      {choices.loading && !choices.data && <Spinner />}
      {choices.data && list.length === 0 && <p class="empty">{t('trainings.none')}</p>}
      <ul class="badge-list">
        {list.map((q) => (
          <li key={q.id} class="badge-item" data-testid="training" data-training-id={q.id} data-name={q.name}>
            {editing === q.id ? (
              <TrainingForm training={q} onSaved={(name) => done(name, false)} onCancel={() => setEditing(null)} />
            ) : (
              <>
                <div>
                  <strong data-testid="training-name-shown">
                    <bdi>{localName(q)}</bdi>
                  </strong>
                  <OtherNamesLine thing={q} />
                </div>
                <div class="actions">
                  <Button icon="rules" aria-label={ti('trainings.edit', { name: localName(q) })} onClick={() => open(q.id)} data-testid="training-edit">
                    {t('spaces.edit')}
                  </Button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * A training's name and its names in other languages: a new training (`training` null) or one
 * being changed. Saving unchanged values writes nothing on the server.
 */
function TrainingForm({ training, onSaved, onCancel }: { training: NamedThing | null; onSaved: (shownName: string) => void; onCancel: () => void }) {
  const form = useHouseNameForm(training, { refused: trainingNameRefused, missing: 'trainings.nameMissing' });
  const id = training ? `training-${training.id.slice(0, 8)}` : 'training-new';

  // The form opens with the keyboard in the name (on a touch screen, on its title), in the same
  // commit: a key typed right after pressing "Edit" lands in it.
  useLayoutEffect(() => focusForm(form.formRef.current), []);

  async function save(e: Event) {
    e.preventDefault();
    const shown = await form.submit((name, names) =>
      training
        ? gql('mutation EditTraining($id: ID!, $name: String!, $names: [LocalizedNameInput!]) { updateQualification(id: $id, name: $name, names: $names) { id } }', { id: training.id, name, names })
        : gql('mutation NewTraining($name: String!, $names: [LocalizedNameInput!]) { createQualification(name: $name, names: $names) { id } }', { name, names }),
    );
    if (shown !== null) onSaved(shown);
  }

  return (
    <form ref={form.formRef} class={`form subform${training ? ' training-edit-form' : ''}`} onSubmit={save} noValidate data-testid="training-form">
      <h3 class="subform-title" tabIndex={-1}>
        {training ? tb('spaces.editing', { name: localName(training) }) : t('trainings.new')}
      </h3>
      {training && <p class="hint">{t('trainings.editHint')}</p>}
      <HouseNameField id={`${id}-name`} label={t('trainings.name')} autoComplete="off" value={form.name} problem={form.nameProblem} onInput={form.onNameInput} testId="training-name" />
      <OtherNames id={`${id}-names`} rows={form.names} onChange={form.setNames} />
      <ErrorBox error={form.otherError} context="training" text={form.otherErrorText} />
      <div class="actions">
        <Button type="submit" variant="primary" icon={training ? 'check' : 'plus'} disabled={form.busy} data-testid="training-save">
          {form.busy ? t('common.wait') : training ? t('spaces.save') : t('trainings.create')}
        </Button>
        <Button variant="ghost" icon="close" onClick={onCancel} data-testid="training-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
