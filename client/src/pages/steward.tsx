import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { HouseNameField, NameRow, OtherNames, OtherNamesLine, nameRefused, nameRows, namesInput, namesRefused, useHouseNameForm } from '../components/other-names';
import { Button, CopyButton, ErrorBox, FieldError, Msg, PageTitle, Spinner, focusForm, tb } from '../components/ui';
import { useLoad, useTick } from '../hooks';
import { NAMES, byLocalName, localName, t, ti, type LocalizedName } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { useStore } from '../store';
import { dt, fmtDate, fmtDateTime, fmtDayTime, fmtRelative, fmtWhen, now, toApi } from '../time';
import type { Booking, Me, NamedThing } from '../types';
import { BOOKING_FIELDS } from '../bookings';
import { CollectivesPanel, PeoplePanel, TrainingsPanel, type PickedPerson } from './steward-people';
import { SpacesPanel, zonesChanged } from './steward-spaces';
import { AccessRow, type AccessEvent } from '../components/access-row';

interface Badge {
  id: string;
  label: string;
  status: 'ACTIVE' | 'LOST' | 'REVOKED';
  issuedAt: string;
  person?: { id: string; displayName: string };
}

/** Who the badge and sign-out tools act on (the People panel's chosen person). */
type Person = Pick<PickedPerson, 'id' | 'displayName'>;

export function StewardPage({ me }: { me: Me }) {
  return (
    <section class="page">
      <PageTitle icon="badge">{t('steward.title')}</PageTitle>
      <PendingPanel />
      <div class="two-cols">
        <PeoplePanel me={me} tools={(person) => <PersonBadges key={person.id} person={person} />} />
        <DoorLog />
      </div>
      <CollectivesPanel />
      <TrainingsPanel />
      <SpacesPanel />
      <DoorsPanel />
    </section>
  );
}

/** Requests waiting for the team (resources that need approval): accept or refuse, before their start. */
function PendingPanel() {
  const data = useLoad(async () => {
    const from = now().minus({ days: 1 });
    const d = await gql<{ bookings: Booking[] }>(
      `query Pending($from: DateTime!, $to: DateTime!) { bookings(from: $from, to: $to, statuses: [PENDING]) { ${BOOKING_FIELDS} } }`,
      { from: toApi(from), to: toApi(from.plus({ days: 366 })) },
    );
    return [...d.bookings].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  }, []);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ accepted: boolean; title: string } | null>(null);
  const reloadTimer = useRef<number | undefined>(undefined);

  // Live: a new request shows up, one decided elsewhere (or expired) goes away.
  useEffect(() => {
    const off = live.on((ev) => {
      if (ev.type !== 'booking.changed') return;
      const l = ev.booking;
      if (l.status === 'PENDING') {
        clearTimeout(reloadTimer.current);
        reloadTimer.current = window.setTimeout(() => data.reload(), 200);
      } else {
        data.set((list) => list && list.filter((b) => b.id !== l.id));
      }
    });
    return () => {
      off();
      clearTimeout(reloadTimer.current);
    };
  }, []);

  async function decide(b: Booking, accept: boolean) {
    setBusy(b.id);
    setError(null);
    setDone(null);
    try {
      if (accept) await gql('mutation Approve($id: ID!) { approveBooking(id: $id) { id status } }', { id: b.id });
      else await gql('mutation Refuse($id: ID!) { cancelBooking(id: $id) { id status } }', { id: b.id });
      data.set((list) => list && list.filter((x) => x.id !== b.id));
      setDone({ accepted: accept, title: b.title });
    } catch (err) {
      setError(err);
      data.reload();
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  const list = (data.data ?? []).filter((b) => Date.parse(b.startsAt) > Date.now());
  return (
    <section class="card" aria-labelledby="pending-h" data-testid="pending-panel">
      <h2 id="pending-h">
        <Icon name="clock" /> {t('pending.title')}
        {list.length > 0 && <span class="count" data-testid="pending-count">{list.length}</span>}
      </h2>
      <p class="hint">{t('pending.hint')}</p>
      {data.error ? <ErrorBox error={data.error} /> : null}
      {data.loading && !data.data && <Spinner />}
      {data.data && list.length === 0 && <p class="empty" data-testid="pending-empty">{t('pending.none')}</p>}
      <ul class="pending-list">
        {list.map((b) => {
          const start = dt(b.startsAt);
          return (
            <li key={b.id} class="pending-item" data-testid="pending-booking" data-booking-id={b.id}>
              <p>
                <strong dir="auto">{b.title}</strong>
              </p>
              <p>
                <bdi>{localName(b.resource)}</bdi> · <bdi>{b.collective.name}</bdi>
                {b.bookedBy && <> · <bdi>{b.bookedBy.displayName}</bdi></>}
              </p>
              <p>{fmtWhen(start, dt(b.endsAt))}</p>
              <p class="hint">{t('pending.expires', { date: fmtDayTime(start) })}</p>
              {confirm === b.id ? (
                <div class="actions" role="group" aria-label={t('refuse.question')}>
                  <span>{t('refuse.question')}</span>
                  <Button variant="danger" icon="check" disabled={busy === b.id} onClick={() => decide(b, false)} data-testid="pending-refuse-confirm">
                    {t('refuse.yes')}
                  </Button>
                  <Button focusOnMount onClick={() => setConfirm(null)} data-testid="pending-refuse-keep">
                    {t('refuse.keep')}
                  </Button>
                </div>
              ) : (
                <div class="actions">
                  <Button variant="primary" icon="check" disabled={busy === b.id} onClick={() => decide(b, true)} data-testid="pending-approve">
                    {t('approve.button')}
                  </Button>
                  <Button variant="danger" icon="cross" disabled={busy === b.id} onClick={() => setConfirm(b.id)} data-testid="pending-refuse">
                    {t('refuse.button')}
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {done && <Msg kind="ok" testid="pending-done">{tb(done.accepted ? 'pending.accepted' : 'pending.refused', { title: done.title })}</Msg>}
      <ErrorBox error={error} context="approve" />
    </section>
  );
}

function PersonBadges({ person }: { person: Person }) {
  const badges = useLoad(
    () =>
      gql<{ badges: Badge[] }>('query Badges($personId: ID) { badges(personId: $personId) { id label status issuedAt } }', { personId: person.id }).then(
        (d) => d.badges,
      ),
    [person.id],
  );
  const [uid, setUid] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ id: string; action: 'lost' | 'revoke' } | null>(null);

  const [uidProblem, setUidProblem] = useState<string | null>(null);

  async function issue(e: Event) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const clean = uid.trim();
    const problem = clean === '' ? 'steward.uidMissing' : /^[0-9A-Fa-f:\s]{4,40}$/.test(clean) ? null : 'steward.uidInvalid';
    setUidProblem(problem);
    if (problem) return;
    try {
      await gql('mutation Issue($personId: ID!, $uid: String!, $label: String) { issueBadge(personId: $personId, uid: $uid, label: $label) { id } }', {
        personId: person.id,
        uid: uid.trim().toUpperCase(),
        label: label.trim() || null,
      });
      setUid('');
      setLabel('');
      setDone(t('steward.issued'));
      badges.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function act(id: string, action: 'lost' | 'revoke') {
    setError(null);
    setDone(null);
    try {
      const m = action === 'lost' ? 'reportBadgeLost' : 'revokeBadge';
      await gql(`mutation Act($id: ID!) { ${m}(id: $id) { id status } }`, { id });
      setConfirm(null);
      setDone(t(action === 'lost' ? 'steward.markedLost' : 'steward.revoked'));
      badges.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div class="person-badges person-section" data-testid="person-badges">
      <h4>
        <Icon name="badge" /> {t('steward.badges')}
      </h4>
      {badges.loading && !badges.data && <Spinner />}
      {badges.data && badges.data.length === 0 && <p class="empty">{t('steward.noBadge')}</p>}
      <ul class="badge-list">
        {(badges.data ?? []).map((b) => (
          <li key={b.id} class={`badge-item badge-${b.status.toLowerCase()}`} data-testid="badge" data-badge-id={b.id} data-status={b.status}>
            <div>
              <strong>{b.label}</strong> <span class={`chip chip-badge-${b.status.toLowerCase()}`}>{t(`badgeStatus.${b.status}`)}</span>
              <p class="hint">{t('steward.issuedOn', { date: fmtDate(dt(b.issuedAt)) })}</p>
            </div>
            {b.status === 'ACTIVE' &&
              (confirm?.id === b.id ? (
                <div class="actions">
                  <span>{t(confirm.action === 'lost' ? 'steward.lostQ' : 'steward.revokeQ')}</span>
                  <Button variant="danger" icon="check" onClick={() => act(b.id, confirm.action)} data-testid="badge-confirm">
                    {t(confirm.action === 'lost' ? 'steward.lostYes' : 'steward.revokeYes')}
                  </Button>
                  <Button focusOnMount onClick={() => setConfirm(null)} data-testid="badge-keep">
                    {t('steward.badgeKeep')}
                  </Button>
                </div>
              ) : (
                <div class="actions">
                  <Button icon="alert" onClick={() => setConfirm({ id: b.id, action: 'lost' })} data-testid="badge-lost">
                    {t('steward.reportLost')}
                  </Button>
                  <Button variant="danger" icon="lock" onClick={() => setConfirm({ id: b.id, action: 'revoke' })} data-testid="badge-revoke">
                    {t('steward.revoke')}
                  </Button>
                </div>
              ))}
          </li>
        ))}
      </ul>
      <form class="form subform" onSubmit={issue} data-testid="issue-badge-form" noValidate>
        <h5 class="subform-title">{t('steward.issue')}</h5>
        <div class="field">
          <label for="badge-uid">{t('steward.uid')}</label>
          <input
            id="badge-uid"
            dir="ltr"
            required
            pattern="[0-9A-Fa-f:\s]{4,40}"
            autoCapitalize="characters"
            spellcheck={false}
            value={uid}
            aria-invalid={uidProblem ? true : undefined}
            aria-describedby={uidProblem ? 'badge-uid-error' : 'badge-uid-hint'}
            onInput={(e) => setUid((e.currentTarget as HTMLInputElement).value)}
            data-testid="badge-uid"
          />
          {uidProblem && <FieldError id="badge-uid-error">{t(uidProblem)}</FieldError>}
          <p class="hint" id="badge-uid-hint">{t('steward.uidHint')}</p>
        </div>
        <div class="field">
          <label for="badge-label">{t('steward.label')}</label>
          <input id="badge-label" value={label} onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)} data-testid="badge-label" />
        </div>
        <Button type="submit" variant="primary" icon="plus" data-testid="badge-issue">
          {t('steward.issueButton')}
        </Button>
      </form>
      {done && <Msg kind="ok">{done}</Msg>}
      <ErrorBox error={error} context="badge" />
      <SignOutPerson person={person} />
    </div>
  );
}

/** A member who lost their phone, or logged in on someone else's, asks at the desk: every device signs out. */
function SignOutPerson({ person }: { person: Person }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function signOut() {
    setBusy(true);
    setError(null);
    try {
      await gql('mutation SignOutPerson($personId: ID) { logoutEverywhere(personId: $personId) }', { personId: person.id });
      setDone(true);
      setConfirm(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="subform" data-testid="sign-out-person">
      <h4>{t('steward.signOutTitle')}</h4>
      <p class="hint">{t('steward.signOutHint')}</p>
      {confirm ? (
        <div class="actions">
          <span>{tb('steward.signOutQ', { name: person.displayName })}</span>
          <Button variant="danger" icon="check" disabled={busy} onClick={signOut} data-testid="sign-out-person-confirm">
            {t('steward.signOutYes')}
          </Button>
          <Button focusOnMount onClick={() => setConfirm(false)} data-testid="sign-out-person-keep">
            {t('steward.signOutKeep')}
          </Button>
        </div>
      ) : (
        <Button icon="lock" onClick={() => { setDone(false); setConfirm(true); }} data-testid="sign-out-person-button">
          {t('steward.signOutButton')}
        </Button>
      )}
      {done && <Msg kind="ok" testid="sign-out-person-done">{tb('steward.signOutDone', { name: person.displayName })}</Msg>}
      <ErrorBox error={error} context="signOut" />
    </div>
  );
}

interface Door {
  id: string;
  name: string;
  names: LocalizedName[];
  retiredAt: string | null;
  lastDecisionAt: string | null;
  zone: NamedThing;
}

const DOOR_FIELDS = `id name ${NAMES} retiredAt lastDecisionAt zone { id name ${NAMES} }`;

/** What the server said about a door's own name (doors may share one: only its length is refused). */
const doorNameRefused = (err: unknown) => nameRefused(err, { taken: 'steward.doorNameInvalid', invalid: 'steward.doorNameInvalid' });

/**
 * The house's doors: register one (its secret shown once, for the controller), rename or
 * translate one (a retired one too: past entries still name it), retire one whose controller
 * is lost or stolen.
 */
function DoorsPanel() {
  // Again when a zone is added or renamed on the spaces panel.
  const zonesVersion = useStore(zonesChanged);
  const data = useLoad(() => gql<{ doors: Door[]; zones: NamedThing[] }>(`query DoorsAndZones { doors { ${DOOR_FIELDS} } zones { id name ${NAMES} } }`), [zonesVersion]);
  // A door registered, renamed or retired by another steward (or on another device).
  useEffect(() => live.on((e) => e.type === 'door.changed' && data.reload()), []);
  const [name, setName] = useState('');
  const [names, setNames] = useState<NameRow[]>(() => nameRows([]));
  const [zoneId, setZoneId] = useState('');
  const [registered, setRegistered] = useState<{ door: Door; secret: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [registerError, setRegisterError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const lastEditing = useRef<string | null>(null);
  // Doors in use first, each group in the order of the names the reader sees.
  const doors = [...(data.data?.doors ?? [])].sort((a, b) => Number(Boolean(a.retiredAt)) - Number(Boolean(b.retiredAt)) || byLocalName(a, b));

  const [nameMissing, setNameMissing] = useState(false);
  const [zoneMissing, setZoneMissing] = useState(false);
  const nameProblem = nameMissing && name.trim() === '' ? 'steward.doorNameMissing' : doorNameRefused(registerError);

  // Closing a door's form puts the keyboard back on its "Edit" button.
  useLayoutEffect(() => {
    if (!editing && lastEditing.current) listRef.current?.querySelector<HTMLElement>(`[data-door-id="${lastEditing.current}"] [data-testid="door-edit"]`)?.focus();
    lastEditing.current = editing;
  }, [editing]);

  async function register(e: Event) {
    e.preventDefault();
    setError(null);
    setRegisterError(null);
    setDone(null);
    setSaved(null);
    setNameMissing(name.trim() === '');
    setZoneMissing(zoneId === '');
    if (name.trim() === '' || zoneId === '') return;
    try {
      const d = await gql<{ registerDoor: { secret: string; door: Door } }>(
        `mutation RegisterDoor($name: String!, $zoneId: ID!, $names: [LocalizedNameInput!]) { registerDoor(name: $name, zoneId: $zoneId, names: $names) { secret door { ${DOOR_FIELDS} } } }`,
        { name: name.trim(), zoneId, names: namesInput(names) },
      );
      setRegistered(d.registerDoor);
      setName('');
      setNames(nameRows([]));
      data.reload();
    } catch (err) {
      setRegisterError(err);
    }
  }

  async function retire(id: string) {
    setError(null);
    setDone(null);
    setSaved(null);
    try {
      await gql('mutation RetireDoor($id: ID!) { retireDoor(id: $id) { id retiredAt } }', { id });
      setConfirm(null);
      if (registered?.door.id === id) setRegistered(null);
      setDone(t('steward.doorRetired'));
      data.reload();
    } catch (err) {
      setError(err);
    }
  }

  // The door just registered as the list knows it now (renamed since, by this steward or another).
  const shownRegistered = registered && (doors.find((d) => d.id === registered.door.id) ?? registered.door);
  return (
    <section class="card" aria-labelledby="doors-h" data-testid="doors-panel">
      <h2 id="doors-h">
        <Icon name="door" /> {t('steward.doors')}
      </h2>
      {data.error ? <ErrorBox error={data.error} /> : null}
      {data.loading && !data.data && <Spinner />}
      {data.data && doors.length === 0 && <p class="empty">{t('steward.noDoor')}</p>}
      {saved && (
        <Msg kind="ok" testid="door-saved">
          {tb('steward.doorSaved', { name: saved })}
        </Msg>
      )}
      <ul ref={listRef} class="badge-list">
        {doors.map((door) => (
          <li key={door.id} class={`badge-item${door.retiredAt ? ' badge-revoked' : ''}`} data-testid="door" data-door-id={door.id} data-retired={door.retiredAt ? 'yes' : 'no'}>
            {editing === door.id ? (
              <DoorForm
                door={door}
                onSaved={(shown) => {
                  setSaved(shown);
                  setEditing(null);
                  data.reload();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <div>
                  <strong data-testid="door-name-shown">
                    <bdi>{localName(door)}</bdi>
                  </strong>{' '}
                  <span class="chip" data-testid="door-zone-chip">
                    <bdi>{localName(door.zone)}</bdi>
                  </span>
                  {door.retiredAt && <span class="chip chip-badge-revoked">{t('steward.doorRetiredOn', { date: fmtDate(dt(door.retiredAt)) })}</span>}
                  <OtherNamesLine thing={door} />
                  {!door.retiredAt && (
                    <p class="hint" data-testid="door-last">
                      {door.lastDecisionAt ? (
                        <time dateTime={door.lastDecisionAt} title={fmtDateTime(dt(door.lastDecisionAt))}>
                          {t('steward.doorLast', { when: fmtRelative(dt(door.lastDecisionAt)) })}
                        </time>
                      ) : (
                        t('steward.doorSilent')
                      )}
                    </p>
                  )}
                </div>
                {confirm === door.id ? (
                  <div class="actions">
                    <span>{t('steward.retireDoorQ')}</span>
                    <Button variant="danger" icon="check" onClick={() => retire(door.id)} data-testid="door-retire-confirm">
                      {t('steward.retireDoorYes')}
                    </Button>
                    <Button focusOnMount onClick={() => setConfirm(null)} data-testid="door-retire-keep">
                      {t('steward.retireDoorNo')}
                    </Button>
                  </div>
                ) : (
                  <div class="actions">
                    <Button
                      icon="rules"
                      aria-label={ti('steward.doorEditLabel', { name: localName(door) })}
                      onClick={() => {
                        setSaved(null);
                        setDone(null);
                        setConfirm(null);
                        setEditing(door.id);
                      }}
                      data-testid="door-edit"
                    >
                      {t('spaces.edit')}
                    </Button>
                    {!door.retiredAt && (
                      <Button variant="danger" icon="lock" onClick={() => setConfirm(door.id)} data-testid="door-retire">
                        {t('steward.retireDoor')}
                      </Button>
                    )}
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {shownRegistered && registered && (
        <Msg kind="warn" icon="alert" testid="door-registered">
          <p>{tb('steward.doorSecretOnce', { name: localName(shownRegistered) })}</p>
          <p>
            {t('steward.doorId')} <code dir="ltr" data-testid="door-id">{registered.door.id}</code>
          </p>
          <p>
            {t('steward.doorSecret')} <code dir="ltr" class="secret" data-testid="door-secret">{registered.secret}</code> <CopyButton text={registered.secret} />
          </p>
        </Msg>
      )}
      {done && <Msg kind="ok">{done}</Msg>}
      <ErrorBox error={error} context="door" />
      <form class="form subform" onSubmit={register} data-testid="register-door-form" noValidate>
        <h4>{t('steward.registerDoor')}</h4>
        <HouseNameField
          id="door-name"
          required
          label={t('steward.doorName')}
          value={name}
          problem={nameProblem}
          onInput={(typed) => {
            setName(typed);
            if (doorNameRefused(registerError)) setRegisterError(null);
          }}
          testId="door-name"
        />
        <OtherNames id="door-names" rows={names} onChange={setNames} />
        <div class="field">
          <label for="door-zone">{t('steward.doorZone')}</label>
          <select
            id="door-zone"
            required
            value={zoneId}
            aria-invalid={zoneMissing && zoneId === '' ? true : undefined}
            aria-describedby={zoneMissing && zoneId === '' ? 'door-zone-error' : undefined}
            onChange={(e) => setZoneId((e.currentTarget as HTMLSelectElement).value)}
            data-testid="door-zone"
          >
            <option value="">{t('steward.choose')}</option>
            {[...(data.data?.zones ?? [])].sort(byLocalName).map((z) => (
              <option key={z.id} value={z.id}>
                {localName(z)}
              </option>
            ))}
          </select>
          {zoneMissing && zoneId === '' && <FieldError id="door-zone-error">{t('steward.doorZoneMissing')}</FieldError>}
        </div>
        <ErrorBox error={doorNameRefused(registerError) ? null : registerError} context="door" text={namesRefused(registerError) ? t('names.invalid') : undefined} />
        <Button type="submit" variant="primary" icon="plus" data-testid="door-register">
          {t('steward.registerDoorButton')}
        </Button>
      </form>
    </section>
  );
}

/**
 * A door's name and its names in other languages, changed in place in the list. What the door
 * decides does not change, so its controller needs nothing.
 */
function DoorForm({ door, onSaved, onCancel }: { door: Door; onSaved: (shown: string) => void; onCancel: () => void }) {
  const form = useHouseNameForm(door, { refused: doorNameRefused, missing: 'steward.doorNameMissing' });
  const id = `door-${door.id.slice(0, 8)}`;

  useEffect(() => focusForm(form.formRef.current, 'h4'), []);

  async function save(e: Event) {
    e.preventDefault();
    const shown = await form.submit((name, names) =>
      gql('mutation RenameDoor($id: ID!, $name: String!, $names: [LocalizedNameInput!]) { renameDoor(id: $id, name: $name, names: $names) { id } }', { id: door.id, name, names }),
    );
    if (shown !== null) onSaved(shown);
  }

  return (
    <form ref={form.formRef} class="form subform door-edit-form" onSubmit={save} noValidate data-testid="door-edit-form">
      <h4 tabIndex={-1}>{tb('spaces.editing', { name: localName(door) })}</h4>
      <HouseNameField id={`${id}-name`} label={t('steward.doorName')} value={form.name} problem={form.nameProblem} onInput={form.onNameInput} testId="door-edit-name" />
      <OtherNames id={`${id}-names`} rows={form.names} onChange={form.setNames} />
      <ErrorBox error={form.otherError} context="door" text={form.otherErrorText} />
      <div class="actions">
        <Button type="submit" variant="primary" icon="check" disabled={form.busy} data-testid="door-save">
          {t('spaces.save')}
        </Button>
        <Button onClick={onCancel} data-testid="door-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

const ACCESS_FIELDS = `id at decision reason offline door { id name ${NAMES} } person { id displayName } badge { id label }`;

/** A door as a decision names it. */
type DoorNames = { id: string; name: string; names: LocalizedName[] };

/** A decision both loaded and heard live is shown once. */
function mergeAccess(list: AccessEvent[], more: AccessEvent[]): AccessEvent[] {
  const seen = new Set(list.map((e) => e.id));
  const out = [...list, ...more.filter((e) => !seen.has(e.id))];
  return out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** Today's door decisions: loaded once, then pushed live by /live (access.decided, staff only). */
function DoorLog() {
  const [events, setEvents] = useState<AccessEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const status = useStore(live.status);
  const minute = useTick(60_000);
  const day = now().toISODate()!;
  const doorNames = useRef(new Map<string, DoorNames>());
  const personNames = useRef(new Map<string, string>());
  const asking = useRef(new Set<string>());
  // Live decisions that arrive while the list loads; merged into the answer.
  const pending = useRef<AccessEvent[] | null>(null);
  const gen = useRef(0);

  const remember = (list: AccessEvent[]) => {
    for (const e of list) {
      if (e.door.id) doorNames.current.set(e.door.id, { id: e.door.id, name: e.door.name, names: e.door.names ?? [] });
      if (e.person) personNames.current.set(e.person.id, e.person.displayName);
    }
  };

  async function load() {
    const my = ++gen.current;
    pending.current = [];
    try {
      const from = now().startOf('day');
      const d = await gql<{ accessEvents: AccessEvent[] }>(
        `query Door($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { ${ACCESS_FIELDS} } }`,
        { from: toApi(from), to: toApi(from.plus({ days: 1 })) },
      );
      if (my !== gen.current) return;
      remember(d.accessEvents);
      setEvents(mergeAccess(d.accessEvents, pending.current ?? []));
      setError(null);
    } catch (err) {
      if (my === gen.current) setError(err);
    } finally {
      if (my === gen.current) pending.current = null;
    }
  }

  /** Fills in a door or person name the live event does not carry. */
  async function lookUp(kind: 'door' | 'person', id: string) {
    const k = `${kind}:${id}`;
    if (asking.current.has(k)) return;
    asking.current.add(k);
    try {
      if (kind === 'door') {
        const d = await gql<{ doors: DoorNames[] }>(`query Doors { doors { id name ${NAMES} } }`);
        for (const x of d.doors) doorNames.current.set(x.id, x);
      } else {
        const d = await gql<{ person: { id: string; displayName: string } | null }>('query Person($id: ID!) { person(id: $id) { id displayName } }', { id });
        if (d.person) personNames.current.set(d.person.id, d.person.displayName);
      }
      const fill = (e: AccessEvent): AccessEvent => ({
        ...e,
        door: e.door.id && doorNames.current.has(e.door.id) ? doorNames.current.get(e.door.id)! : e.door,
        person: e.person && personNames.current.has(e.person.id) ? { ...e.person, displayName: personNames.current.get(e.person.id)! } : e.person,
      });
      setEvents((list) => list && list.map(fill));
    } catch {
      asking.current.delete(k); // try again with the next event
    }
  }

  useEffect(() => {
    const off = live.on((ev) => {
      // A door renamed or translated: the day's list read again names it anew (a fresh answer,
      // rather than a list of doors that a slower load could overwrite with the old names).
      if (ev.type === 'door.changed' && ev.door.change === 'updated' && doorNames.current.has(ev.door.id)) void load();
      if (ev.type !== 'access.decided') return;
      const a = ev.event;
      if (!dt(a.at).hasSame(now(), 'day')) return;
      const e: AccessEvent = {
        id: a.id,
        at: a.at,
        decision: a.decision,
        reason: a.reason,
        offline: a.offline,
        door: doorNames.current.get(a.doorId) ?? { id: a.doorId, name: '…' },
        person: a.personId ? { id: a.personId, displayName: personNames.current.get(a.personId) ?? '…' } : null,
        badge: null,
      };
      pending.current?.push(e);
      setEvents((list) => (list ? mergeAccess(list, [e]) : list));
      setFresh((f) => new Set(f).add(e.id));
      if (!doorNames.current.has(a.doorId)) void lookUp('door', a.doorId);
      if (a.personId && !personNames.current.has(a.personId)) void lookUp('person', a.personId);
    });
    return off;
  }, []);

  // Load when the page opens and when the day turns; again after the live link came back.
  useEffect(() => void load(), [day]);
  const wasLive = useRef(status === 'live');
  useEffect(() => {
    if (status === 'live' && !wasLive.current) void load();
    wasLive.current = status === 'live';
  }, [status]);
  // Without the live link, look again now and then.
  useEffect(() => {
    if (status === 'live') return;
    const id = setInterval(() => document.visibilityState === 'visible' && void load(), 30_000);
    return () => clearInterval(id);
  }, [status]);

  const shown = (events ?? []).filter((e) => dt(e.at).hasSame(now(), 'day'));
  void minute;
  return (
    <section class="card" aria-labelledby="door-h">
      <h2 id="door-h">
        <Icon name="door" /> {t('steward.doorToday')}
        {events && shown.length > 0 && <span class="count" data-testid="door-count">{shown.length}</span>}
      </h2>
      <p class="hint">{t(status === 'live' ? 'steward.doorHintLive' : 'steward.doorHint')}</p>
      {error ? <ErrorBox error={error} /> : null}
      {!events && !error && <Spinner />}
      {events && shown.length === 0 && <p class="empty">{t('steward.noEntries')}</p>}
      <ul class="door-log" aria-live="polite" data-testid="door-log">
        {shown.slice(0, 100).map((e) => (
          <AccessRow key={e.id} e={e} showPerson isNew={fresh.has(e.id)} />
        ))}
      </ul>
    </section>
  );
}
