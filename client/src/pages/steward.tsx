import { useEffect, useMemo, useState } from 'preact/hooks';
import { gql } from '../api';
import { Button, ErrorBox, Msg, PageTitle, Spinner } from '../components/ui';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { dt, fmtDate, fmtDateTime, fmtTime, now, toApi } from '../time';
import type { Me } from '../types';

interface Badge {
  id: string;
  label: string;
  status: 'ACTIVE' | 'LOST' | 'REVOKED';
  issuedAt: string;
  person?: { id: string; displayName: string };
}

export interface AccessEvent {
  id: string;
  at: string;
  decision: 'ALLOW' | 'DENY';
  reason: string;
  door: { id?: string; name: string };
  person?: { id: string; displayName: string } | null;
  badge?: { id: string; label: string } | null;
}

interface Person {
  id: string;
  displayName: string;
  collectives: string[];
}

export function reasonText(reason: string): string {
  const key = `reason.${reason}`;
  const s = t(key);
  return s === key ? reason : s;
}

export function StewardPage({ me }: { me: Me }) {
  return (
    <section class="page">
      <PageTitle icon="badge">{t('steward.title')}</PageTitle>
      <div class="two-cols">
        <BadgesPanel me={me} />
        <DoorLog />
      </div>
    </section>
  );
}

function BadgesPanel({ me }: { me: Me }) {
  const people = useLoad(async () => {
    const d = await gql<{ collectives: { id: string; name: string; members: { endsAt: string | null; person: { id: string; displayName: string } }[] }[] }>(
      'query People { collectives { id name members { endsAt person { id displayName } } } }',
    );
    const map = new Map<string, Person>();
    for (const c of d.collectives)
      for (const m of c.members) {
        const p = map.get(m.person.id) ?? { id: m.person.id, displayName: m.person.displayName, collectives: [] };
        if (!p.collectives.includes(c.name)) p.collectives.push(c.name);
        map.set(p.id, p);
      }
    if (!map.has(me.id)) map.set(me.id, { id: me.id, displayName: me.displayName, collectives: [] });
    return [...map.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, []);
  const [filter, setFilter] = useState('');
  const [personId, setPersonId] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (people.data ?? []).filter((p) => !f || p.displayName.toLowerCase().includes(f) || p.collectives.some((c) => c.toLowerCase().includes(f)));
  }, [people.data, filter]);
  const person = (people.data ?? []).find((p) => p.id === personId) ?? null;

  return (
    <section class="card" aria-labelledby="badges-h">
      <h2 id="badges-h">
        <Icon name="badge" /> {t('steward.badges')}
      </h2>
      {people.error ? <ErrorBox error={people.error} /> : null}
      <div class="form">
      <div class="field">
        <label for="person-filter">{t('steward.findPerson')}</label>
        <input id="person-filter" type="search" value={filter} onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} data-testid="person-filter" />
      </div>
      <div class="field">
        <label for="person-pick">{t('steward.person')}</label>
        <select id="person-pick" value={personId} onChange={(e) => setPersonId((e.currentTarget as HTMLSelectElement).value)} data-testid="person-picker">
          <option value="">{t('steward.choosePerson')}</option>
          {shown.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
              {p.collectives.length ? ` – ${p.collectives.join(', ')}` : ''}
            </option>
          ))}
        </select>
      </div>
      </div>
      {person && <PersonBadges key={person.id} person={person} />}
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

  async function issue(e: Event) {
    e.preventDefault();
    setError(null);
    setDone(null);
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
    <div class="person-badges" data-testid="person-badges">
      <h3>{person.displayName}</h3>
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
                    {t('cancel.yes')}
                  </Button>
                  <Button onClick={() => setConfirm(null)}>{t('cancel.keep')}</Button>
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
      <form class="form subform" onSubmit={issue} data-testid="issue-badge-form">
        <h4>{t('steward.issue')}</h4>
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
            onInput={(e) => setUid((e.currentTarget as HTMLInputElement).value)}
            data-testid="badge-uid"
          />
          <p class="hint">{t('steward.uidHint')}</p>
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
    </div>
  );
}

function DoorLog() {
  const [events, setEvents] = useState<AccessEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function load() {
    try {
      const from = now().startOf('day');
      const d = await gql<{ accessEvents: AccessEvent[] }>(
        'query Door($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { id at decision reason door { id name } person { id displayName } badge { id label } } }',
        { from: toApi(from), to: toApi(from.plus({ days: 1 })) },
      );
      setEvents([...d.accessEvents].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }
  useEffect(() => {
    void load();
    const id = setInterval(() => document.visibilityState === 'visible' && void load(), 10_000);
    // A booking that starts or a badge change shows up at the door: look again.
    const off = live.on((e) => e.type === 'booking.changed' && void load());
    return () => {
      clearInterval(id);
      off();
    };
  }, []);
  return (
    <section class="card" aria-labelledby="door-h">
      <h2 id="door-h">
        <Icon name="door" /> {t('steward.doorToday')}
      </h2>
      <p class="hint">{t('steward.doorHint')}</p>
      {error ? <ErrorBox error={error} /> : null}
      {!events && !error && <Spinner />}
      {events && events.length === 0 && <p class="empty">{t('steward.noEntries')}</p>}
      <ul class="door-log" aria-live="polite" data-testid="door-log">
        {(events ?? []).slice(0, 100).map((e) => (
          <AccessRow key={e.id} e={e} showPerson />
        ))}
      </ul>
    </section>
  );
}

export function AccessRow({ e, showPerson, withDate }: { e: AccessEvent; showPerson?: boolean; withDate?: boolean }) {
  const allow = e.decision === 'ALLOW';
  return (
    <li class={`access access-${allow ? 'allow' : 'deny'}`} data-testid="access-event" data-decision={e.decision}>
      <span class="access-icon">
        <Icon name={allow ? 'check' : 'cross'} />
      </span>
      <span class="access-main">
        <span>
          <strong>{allow ? t('access.ALLOW') : t('access.DENY')}</strong> · {e.door.name}
          {showPerson && (e.person || e.badge) && <> · {e.person?.displayName ?? e.badge?.label}</>}
        </span>
        <span class="hint">{reasonText(e.reason)}</span>
        {withDate && <time dateTime={e.at} class="hint">{fmtDateTime(dt(e.at))}</time>}
      </span>
      {!withDate && <time dateTime={e.at}>{fmtTime(dt(e.at))}</time>}
    </li>
  );
}
