import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { collectiveColor } from '../colors';
import { Button, ErrorBox, Msg, PageTitle, Spinner, tb } from '../components/ui';
import { useMedia, useTick } from '../hooks';
import { NAMES, byLocalName, lang, localName, t, tList } from '../i18n';
import { Icon } from '../icons';
import { live, type LiveBooking } from '../live';
import { route, setQuery } from '../router';
import { activeMemberships, hasRole, holdsQualification } from '../session';
import { useStore } from '../store';
import {
  DateTime,
  ZONE,
  dt,
  fmtDay,
  fmtDayTime,
  fmtLength,
  fmtMinutes,
  fmtSpan,
  fmtShortDay,
  fmtWhen,
  fmtTime,
  now,
  openIntervals,
  spansDays,
  toApi,
  wallMinutes,
  weekStart,
  fmt,
} from '../time';
import { BOOKING_FIELDS, blockedBy, overlaps } from '../bookings';
import { type Booking, type Me, type NamedThing, type Resource, type TimeRange } from '../types';
import { BookDialog, BookingDetails, cancelledNotice } from './booking-dialogs';
import { loadRuleValues, ruleFor, type RuleValue } from '../rules';
import { spaceNamer, useSpaces } from '../spaces';

const RESOURCE_FIELDS = `id name ${NAMES} kind capacity slotMinutes minMinutes maxMinutes bufferMinutes requiresApproval
  openingHours { weekday opens closes } zone { id name ${NAMES} } requiredQualification { id name ${NAMES} } rates { tier centsPerHour }`;

const SHOWN = new Set(['PENDING', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED']);

export interface Cell {
  start: DateTime;
  end: DateTime;
}

type DialogState = { kind: 'book'; start: DateTime } | { kind: 'details'; id: string } | null;

/**
 * The space this device's agenda showed last (a resource id, or 'all'): opened again without
 * `r`, rather than the first by name, which differs by interface language.
 */
const SPACE_KEY = 'tl.agendaResource';

function savedSpace(): string | null {
  try {
    return localStorage.getItem(SPACE_KEY);
  } catch {
    return null;
  }
}

function saveSpace(id: string): void {
  try {
    localStorage.setItem(SPACE_KEY, id);
  } catch {
    /* private mode: the agenda opens on the first space */
  }
}

function parseWeek(s: string | null): DateTime {
  const d = s ? DateTime.fromISO(s, { zone: ZONE }) : null;
  return weekStart(d && d.isValid ? d : now());
}

function liveToBooking(l: LiveBooking, prev: Booking | undefined, resources: Resource[]): Booking {
  const res = resources.find((r) => r.id === l.resourceId);
  return {
    id: l.id,
    title: l.title,
    startsAt: l.startsAt,
    endsAt: l.endsAt,
    status: l.status,
    collective: { id: l.collectiveId, name: l.collectiveName },
    resource: res ? { id: res.id, name: res.name, names: res.names } : { id: l.resourceId, name: prev?.resource.name ?? '', names: prev?.resource.names },
    bookedBy: prev?.bookedBy ?? null,
    seriesId: prev?.seriesId ?? null,
    priceCents: prev?.priceCents ?? null,
  };
}

/** A free slot's start as its button carries it (data-starts-at), to find the button again. */
const slotKey = (start: DateTime) => start.toUTC().toISO({ suppressMilliseconds: true })!;

/** Lays out overlapping blocks of one day side by side. */
function lanes<T extends { s: number; e: number }>(items: T[]): (T & { lane: number; lanes: number })[] {
  const sorted = [...items].sort((a, b) => a.s - b.s || b.e - a.e);
  const out: (T & { lane: number; lanes: number })[] = [];
  let cluster: (T & { lane: number; lanes: number })[] = [];
  let clusterEnd = -Infinity;
  const flush = () => {
    const n = Math.max(1, ...cluster.map((c) => c.lane + 1));
    cluster.forEach((c) => (c.lanes = n));
    out.push(...cluster);
    cluster = [];
  };
  for (const it of sorted) {
    if (it.s >= clusterEnd && cluster.length) flush();
    const used = new Set(cluster.filter((c) => c.e > it.s).map((c) => c.lane));
    let lane = 0;
    while (used.has(lane)) lane++;
    cluster.push({ ...it, lane, lanes: 1 });
    clusterEnd = Math.max(clusterEnd, it.e);
  }
  if (cluster.length) flush();
  return out;
}

export function AgendaPage({ me }: { me: Me }) {
  const r = useStore(route);
  const narrow = useMedia('(max-width: 759px)');
  const minute = useTick(60_000);
  const canBook = activeMemberships(me).length > 0 || hasRole(me, 'STEWARD', 'ADMIN');

  // Again when a steward creates or edits a space, or renames or translates a zone or a training.
  const spaces = useSpaces<Resource>(RESOURCE_FIELDS);
  const loadedResources = spaces.data;
  // In the order of the names the reader sees (the server sorts by the house's names).
  const resources = useMemo(() => loadedResources && [...loadedResources].sort(byLocalName), [loadedResources, lang()]);
  const resError = spaces.error;
  const [bookings, setBookings] = useState<Booking[]>([]);
  const [availability, setAvailability] = useState<TimeRange[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<{ text: () => string; kind: 'ok' | 'info' } | null>(null); // words in the language shown
  const [rules, setRules] = useState<RuleValue[] | null>(null);
  // The notice floats over the page: it goes by itself after a while.
  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(null), 12_000);
    return () => clearTimeout(timer);
  }, [notice]);
  const [dayIndex, setDayIndex] = useState<number | null>(null);
  // The slot that opened the booking dialog is gone once booked: the keyboard goes on from the
  // new booking instead of falling back to the top of the page.
  const calRef = useRef<HTMLDivElement>(null);
  const [focusBooking, setFocusBooking] = useState<string | null>(null);
  useEffect(() => {
    if (!focusBooking) return;
    calRef.current?.querySelector<HTMLElement>(`[data-booking-id="${focusBooking}"]`)?.focus();
    setFocusBooking(null);
  }, [focusBooking]);
  // A cancelled booking's block goes with its dialog: the keyboard goes to its day's heading at
  // once, then, once the free time is read again, to the free slot where it started (if that is
  // bookable), rather than falling back to the top of the page.
  const [freed, setFreed] = useState<{ startsAt: string; read: boolean } | null>(null);

  const week = parseWeek(r.query.get('w'));
  const weekKey = week.toISODate()!;
  const weekEnd = week.plus({ weeks: 1 });
  const rq = r.query.get('r');
  const known = (id: string | null) => id === 'all' || (resources ?? []).some((x) => x.id === id);
  // Read again only when `r` changes: another tab showing another space does not move this one.
  const remembered = useMemo(savedSpace, [rq]);
  const resourceId = rq && (known(rq) || !resources) ? rq : resources && resources.length ? (remembered && known(remembered) ? remembered : resources[0].id) : null;
  const all = resourceId === 'all';
  const resource = !all && resources ? resources.find((x) => x.id === resourceId) ?? null : null;
  // Only once the list has loaded: before, `r` may name a space that no longer exists.
  useEffect(() => {
    if (resources && resourceId) saveSpace(resourceId);
  }, [resourceId, resources !== null]);

  // House rules (booking horizon, cancellation notice), again when a vote changes one.
  useEffect(() => {
    const load = () => loadRuleValues().then(setRules, () => undefined);
    void load();
    return live.on((ev) => {
      if (ev.type === 'rules.changed') void load();
    });
  }, []);

  // Bookings and free time of the week.
  const gen = useRef(0);
  const stateRef = useRef({ resourceId, weekKey, resources });
  stateRef.current = { resourceId, weekKey, resources };

  async function loadAvailability(my: number) {
    if (!resourceId || all) {
      setAvailability(null);
      return;
    }
    const from = DateTime.max(week, now().startOf('minute'));
    const d = await gql<{ availability: TimeRange[] }>(
      `query Availability($resourceId: ID!, $from: DateTime!, $to: DateTime!) { availability(resourceId: $resourceId, from: $from, to: $to) { startsAt endsAt } }`,
      { resourceId, from: toApi(from), to: toApi(weekEnd) },
    );
    if (my === gen.current) setAvailability(d.availability);
  }

  async function load() {
    if (!resourceId) return;
    const my = ++gen.current;
    setLoading(true);
    setLoadError(null);
    try {
      const [b] = await Promise.all([
        gql<{ bookings: Booking[] }>(
          `query Week($from: DateTime!, $to: DateTime!, $resourceIds: [ID!]) { bookings(from: $from, to: $to, resourceIds: $resourceIds) { ${BOOKING_FIELDS} } }`,
          { from: toApi(week), to: toApi(weekEnd), resourceIds: all ? null : [resourceId] },
        ),
        weekEnd > now() ? loadAvailability(my) : Promise.resolve(setAvailability([])),
      ]);
      if (my !== gen.current) return;
      setBookings(b.bookings);
    } catch (e) {
      if (my === gen.current) setLoadError(e);
    } finally {
      if (my === gen.current) setLoading(false);
    }
  }

  useEffect(() => {
    setBookings([]);
    setAvailability(null);
    void load();
  }, [resourceId, weekKey]);

  // Live updates: apply booking changes at once, then refresh the free time.
  const availTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const off = live.on((ev) => {
      // The free time of a resource a steward edited follows its new opening hours, grid and buffer.
      if (ev.type === 'resource.changed' && ev.resource.id === stateRef.current.resourceId) void loadAvailability(gen.current).catch(() => undefined);
      if (ev.type !== 'booking.changed') return;
      const l = ev.booking;
      const st = stateRef.current;
      if (st.resourceId !== 'all' && l.resourceId !== st.resourceId) return;
      const ws = DateTime.fromISO(st.weekKey, { zone: ZONE });
      const inWeek = overlaps(Date.parse(l.startsAt), Date.parse(l.endsAt), ws.toMillis(), ws.plus({ weeks: 1 }).toMillis());
      setBookings((list) => {
        const prev = list.find((b) => b.id === l.id);
        const rest = list.filter((b) => b.id !== l.id);
        if (!inWeek || !SHOWN.has(l.status)) return rest;
        return [...rest, liveToBooking(l, prev, st.resources ?? [])];
      });
      if (st.resourceId !== 'all') {
        clearTimeout(availTimer.current);
        const my = gen.current;
        availTimer.current = window.setTimeout(() => void loadAvailability(my).catch(() => undefined), 300);
      }
    });
    return () => {
      off();
      clearTimeout(availTimer.current);
    };
  }, [resourceId, weekKey]);

  // After a reconnection, fetch again what may have been missed before the first subscription.
  const liveStatus = useStore(live.status);
  const wasLive = useRef(liveStatus === 'live');
  useEffect(() => {
    if (liveStatus === 'live' && !wasLive.current) void load();
    wasLive.current = liveStatus === 'live';
  }, [liveStatus]);

  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => week.plus({ days: i })), [weekKey]);
  const today = now().startOf('day');
  const todayIndex = days.findIndex((d) => d.hasSame(today, 'day'));
  useEffect(() => setDayIndex(null), [weekKey]);

  const visible = bookings.filter((b) => SHOWN.has(b.status));

  // MAX_ADVANCE_DAYS: a member's booking ends by this instant (stewards have no limit).
  const staff = hasRole(me, 'STEWARD', 'ADMIN');
  const maxDays = resource ? ruleFor(rules, 'MAX_ADVANCE_DAYS', resource.id) : null;
  const horizon = !staff && maxDays != null ? now().plus({ days: maxDays }).startOf('minute') : null;
  const horizonMs = horizon ? horizon.toMillis() : Infinity;
  const noticeMinutes = (id: string) => ruleFor(rules, 'CANCELLATION_NOTICE_MINUTES', id);

  // Slot step of the grid: the resource's grid, at least 30 minutes so a cell stays a big target.
  const step = resource ? Math.max(resource.slotMinutes, Math.ceil(30 / resource.slotMinutes) * resource.slotMinutes) : 60;
  const pxPerMin = resource ? 52 / step : 1.2;

  // Hours shown: from the earliest opening to the latest closing (and any booking outside).
  const [rangeStart, rangeEnd] = useMemo(() => {
    const hours = resource ? resource.openingHours : (resources ?? []).flatMap((x) =>
      x.openingHours.some((o) => o.opens === '00:00' && (o.closes === '24:00' || o.closes === '00:00')) ? [] : x.openingHours);
    let a = Infinity;
    let b = -Infinity;
    for (let wd = 1; wd <= 7; wd++) for (const [o, c] of openIntervals(hours, wd)) { a = Math.min(a, o); b = Math.max(b, c); }
    for (const bk of visible) {
      const s = dt(bk.startsAt);
      const e = dt(bk.endsAt);
      if (s.hasSame(e, 'day')) { a = Math.min(a, wallMinutes(s)); b = Math.max(b, wallMinutes(e)); }
      else { a = 0; b = 1440; }
    }
    if (!isFinite(a)) { a = 8 * 60; b = 22 * 60; }
    a = Math.floor(a / 60) * 60;
    b = Math.min(1440, Math.ceil(b / 60) * 60);
    return [a, b];
  }, [resource, resources, visible.length, weekKey]);

  // On a phone, one day at a time: today, or tomorrow once today's last opening hour has passed
  // (an evening visit would otherwise open on a day all in grey).
  const todayOver = todayIndex >= 0 && todayIndex < 6 && wallMinutes(now()) >= rangeEnd;
  const shownDay = dayIndex ?? (todayIndex >= 0 ? todayIndex + (todayOver ? 1 : 0) : 0);

  // Without the training the space requires, a member cannot book it: no free slot to tap,
  // and the page says whom to ask (staff book for anyone).
  const missingQual = !staff && resource?.requiredQualification ? !holdsQualification(me, resource.requiredQualification.id) : false;

  const freeCells = useMemo(() => {
    const out: Cell[] = [];
    if (!resource || !availability || !canBook || missingQual) return out;
    const nowMs = Date.now();
    for (const day of days) {
      for (let m = rangeStart; m < rangeEnd; m += step) {
        const start = day.set({ hour: Math.floor(m / 60), minute: m % 60 });
        if (start.hour * 60 + start.minute !== m) continue; // in the spring-forward gap
        const s = start.toMillis();
        const e = start.plus({ minutes: resource.minMinutes }).toMillis();
        if (s < nowMs) continue;
        if (e > horizonMs) continue; // beyond the booking horizon: the server would refuse it
        const fits = availability.some((a) => Date.parse(a.startsAt) <= s && e <= Date.parse(a.endsAt));
        if (!fits) continue;
        if (blockedBy(visible, resource.id, resource.bufferMinutes, start, start.plus({ minutes: resource.minMinutes }))) continue;
        out.push({ start, end: start.plus({ minutes: step }) });
      }
    }
    return out;
  }, [resource, availability, bookings, weekKey, rangeStart, rangeEnd, step, minute, canBook, horizonMs, missingQual]);

  useEffect(() => {
    if (!freed) return;
    if (freed.read) setFreed(null);
    const grid = calRef.current;
    const active = document.activeElement;
    // Only from where the cancellation left the keyboard: nowhere (the page's body), or that heading.
    if (!grid || (active && active !== document.body && !active.matches('.cal-dayhead'))) return;
    const s = Date.parse(freed.startsAt);
    const cell = freed.read ? freeCells.find((c) => c.start.toMillis() <= s && s < c.end.toMillis()) : undefined;
    const day = dt(freed.startsAt).toISODate();
    // Its day's heading; on a phone showing another day (a booking over several), the one shown.
    const target =
      (cell && grid.querySelector<HTMLElement>(`[data-testid="free-slot"][data-starts-at="${slotKey(cell.start)}"]`)) ||
      grid.querySelector<HTMLElement>(`.cal-dayhead[data-date="${day}"]`) ||
      grid.querySelector<HTMLElement>('.cal-dayhead');
    target?.focus();
  }, [freed]);

  const myCollectives = new Set(me.memberships.map((m) => m.collective.id));
  const spaceName = spaceNamer(resources);

  if (resError) return <section class="page"><PageTitle icon="calendar">{t('agenda.title')}</PageTitle><ErrorBox error={resError} /></section>;
  if (!resources) return <section class="page"><PageTitle icon="calendar">{t('agenda.title')}</PageTitle><Spinner /></section>;

  const shownDays = narrow ? [days[shownDay]] : days;
  const height = (rangeEnd - rangeStart) * pxPerMin;
  const hourMarks: number[] = [];
  // One label an hour, or one per slot when slots are longer (a locker taken by the day).
  const markEvery = Math.max(60, step);
  for (let m = rangeStart; m <= rangeEnd; m += markEvery) hourMarks.push(m);
  const dialogBooking = dialog?.kind === 'details' ? bookings.find((b) => b.id === dialog.id) ?? null : null;

  return (
    <section class="page agenda">
      <PageTitle icon="calendar">{t('agenda.title')}</PageTitle>

      <div class="agenda-toolbar">
        <label class="field inline-field" for="resource-picker">
          <span>{t('agenda.resource')}</span>
          <select
            id="resource-picker"
            data-testid="resource-picker"
            value={resourceId ?? ''}
            onChange={(e) => setQuery({ r: (e.currentTarget as HTMLSelectElement).value })}
          >
            {resources.map((x) => (
              <option key={x.id} value={x.id}>
                {localName(x)}
              </option>
            ))}
            <option value="all">{t('agenda.allResources')}</option>
          </select>
        </label>
        <div class="week-nav" role="group" aria-label={t('agenda.weekNav')}>
          <Button icon="prev" flipIcon data-testid="week-prev" onClick={() => setQuery({ w: week.minus({ weeks: 1 }).toISODate() })} aria-label={t('agenda.prevWeek')}>
            <span class="hide-narrow">{t('agenda.prev')}</span>
          </Button>
          <Button icon="today" data-testid="week-today" onClick={() => { setQuery({ w: null }); setDayIndex(null); }}>
            {t('agenda.today')}
          </Button>
          <Button icon="next" flipIcon data-testid="week-next" onClick={() => setQuery({ w: week.plus({ weeks: 1 }).toISODate() })} aria-label={t('agenda.nextWeek')}>
            <span class="hide-narrow">{t('agenda.next')}</span>
          </Button>
        </div>
      </div>

      <h2 class="week-label" data-testid="week-label" aria-live="polite">
        {t('agenda.weekOf', { from: fmt(days[0], { day: 'numeric', month: 'long' }), to: fmt(days[6], { day: 'numeric', month: 'long', year: 'numeric' }) })}
      </h2>

      {resource && <ResourceInfo resource={resource} me={me} />}
      {resource && canBook && missingQual && (
        <Msg kind="warn" testid="agenda-need-qualification">
          {tb('agenda.needQual', { name: localName(resource.requiredQualification!) })}
        </Msg>
      )}
      {all && <p class="hint">{t('agenda.allHint')}</p>}

      {horizon && resource && canBook && weekEnd.toMillis() > horizonMs && (
        <Msg kind="info" icon="clock" testid="horizon-note">
          {t('agenda.horizon', { n: maxDays ?? 0, date: fmtDayTime(horizon) })}
        </Msg>
      )}
      {notice && (
        <div class="notice-row">
          <Msg kind={notice.kind} testid="notice">{notice.text()}</Msg>
          <Button variant="ghost" icon="close" aria-label={t('common.close')} onClick={() => setNotice(null)} />
        </div>
      )}
      {loadError ? <ErrorBox error={loadError} /> : null}

      {narrow && (
        <div class="day-strip" role="group" aria-label={t('agenda.chooseDay')}>
          {/* The weekdays over the days' numbers, as a calendar's column heads, hidden from screen
              readers: each button's name is its whole date ("lundi 23 novembre"), read once, rather
              than the short text and then the date ("lun. 23 lundi 23 novembre"). A button shows
              only its number, which its name holds, so that a voice command says what the eyes read
              on it. Arabic has no short weekday names: the narrow one fits a 44 px column. */}
          {days.map((d, i) => (
            <span key={`dow-${i}`} class={`dow${i === shownDay ? ' selected' : ''}`} aria-hidden="true">
              {fmt(d, { weekday: lang() === 'ar' ? 'narrow' : 'short' })}
            </span>
          ))}
          {days.map((d, i) => (
            <button
              type="button"
              key={i}
              class={`day-btn${i === shownDay ? ' selected' : ''}${i === todayIndex ? ' is-today' : ''}${d.toMillis() >= horizonMs ? ' beyond' : ''}`}
              aria-pressed={i === shownDay}
              // Today is in the name, which every screen reader reads (phone ones do not all say aria-current).
              aria-label={i === todayIndex ? t('agenda.dayToday', { day: fmtDay(d) }) : fmtDay(d)}
              data-testid="day-button"
              onClick={() => setDayIndex(i)}
            >
              <span class="dom">{d.day}</span>
            </button>
          ))}
        </div>
      )}

      <div
        ref={calRef}
        class={`cal${narrow ? ' cal-day' : ''}${loading ? ' is-loading' : ''}`}
        data-testid="calendar-grid"
        data-week={weekKey}
        data-resource={resourceId ?? ''}
        aria-busy={loading}
        style={{ '--cols': String(shownDays.length) }}
      >
        <div class="cal-head">
          <div class="cal-corner" />
          {shownDays.map((d) => (
            <div key={d.toISODate()} class={`cal-dayhead${d.hasSame(today, 'day') ? ' is-today' : ''}`} data-date={d.toISODate()} tabIndex={-1}>
              {narrow ? fmtDay(d) : fmtShortDay(d)}
            </div>
          ))}
        </div>
        <div class="cal-body" style={{ height: `${height}px` }}>
          <div class="cal-times" aria-hidden="true">
            {hourMarks.slice(0, -1).map((m) => (
              <div key={m} class="cal-time" style={{ top: `${(m - rangeStart) * pxPerMin}px` }}>
                {fmtTime(week.set({ hour: Math.floor(m / 60), minute: 0 }))}
              </div>
            ))}
          </div>
          {shownDays.map((day) => (
            <DayColumn
              key={day.toISODate()}
              day={day}
              resource={resource}
              bookings={visible}
              cells={freeCells.filter((c) => c.start.hasSame(day, 'day'))}
              rangeStart={rangeStart}
              rangeEnd={rangeEnd}
              pxPerMin={pxPerMin}
              hourMarks={hourMarks}
              isToday={day.hasSame(today, 'day')}
              horizon={canBook ? horizon : null}
              mine={myCollectives}
              spaceName={spaceName}
              onSlot={(start) => setDialog({ kind: 'book', start })}
              onBooking={(id) => setDialog({ kind: 'details', id })}
            />
          ))}
        </div>
      </div>

      {!canBook && <p class="hint">{t('agenda.cannotBook')}</p>}
      {!loading && canBook && !missingQual && resource && freeCells.length === 0 && weekEnd > now() && (
        <p class="hint" data-testid="no-free" data-reason={weekEnd.toMillis() > horizonMs ? 'horizon' : 'full'}>
          {weekEnd.toMillis() > horizonMs ? t('agenda.noFreeHorizon', { date: fmtDayTime(horizon!) }) : t('agenda.noFree')}
        </p>
      )}

      <Legend bookings={visible} />

      {dialog?.kind === 'book' && resource && (
        <BookDialog
          me={me}
          resource={resource}
          start={dialog.start}
          availability={availability ?? []}
          bookings={visible}
          isSteward={staff}
          noticeMinutes={noticeMinutes(resource.id)}
          horizon={horizon}
          onClose={() => setDialog(null)}
          onConflict={() => void load()}
          onBooked={(created) => {
            setFocusBooking(created[0]?.id ?? null);
            setBookings((list) => [...list.filter((b) => !created.some((c) => c.id === b.id)), ...created.filter((c) => overlaps(Date.parse(c.startsAt), Date.parse(c.endsAt), week.toMillis(), weekEnd.toMillis()))]);
            setDialog(null);
            const pending = created.some((c) => c.status === 'PENDING');
            const n = created.length;
            setNotice(
              pending
                ? { kind: 'info', text: () => (n > 1 ? t('book.requestedSeries', { n }) : t('book.requested')) }
                : { kind: 'ok', text: () => (n > 1 ? t('book.doneSeries', { n }) : t('book.done')) },
            );
            void loadAvailability(gen.current).catch(() => undefined);
          }}
        />
      )}
      {dialog?.kind === 'details' && dialogBooking && (
        <BookingDetails
          me={me}
          booking={dialogBooking}
          spaceName={spaceName}
          noticeMinutes={noticeMinutes(dialogBooking.resource.id)}
          onClose={() => setDialog(null)}
          onUpdated={(b) => setBookings((list) => list.map((x) => (x.id === b.id ? { ...x, ...b } : x)))}
          onCancelled={(cancelled, refused) => {
            const ids = new Set(cancelled.map((c) => c.id));
            const startsAt = dialogBooking.startsAt;
            setFreed({ startsAt, read: false });
            setBookings((list) => list.filter((b) => !ids.has(b.id)));
            setDialog(null);
            setNotice({ kind: 'ok', text: () => cancelledNotice(cancelled.length, refused) });
            void loadAvailability(gen.current)
              .catch(() => undefined)
              .then(() => setFreed((f) => (f?.startsAt === startsAt ? { startsAt, read: true } : f)));
          }}
        />
      )}
    </section>
  );
}

function ResourceInfo({ resource, me }: { resource: Resource; me: Me }) {
  const qual = resource.requiredQualification;
  const hasQual = !qual || holdsQualification(me, qual.id);
  return (
    <div class="resource-info" data-testid="resource-info">
      <span><Icon name="person" size={18} /> {t('resource.capacity', { n: resource.capacity })}</span>
      <span><Icon name="clock" size={18} /> {t('resource.duration', { min: fmtLength(resource.minMinutes), max: fmtLength(resource.maxMinutes) })}</span>
      {resource.bufferMinutes > 0 && <span><Icon name="repeat" size={18} /> {t('resource.buffer', { n: fmtMinutes(resource.bufferMinutes, 'long') })}</span>}
      <span data-testid="resource-zone"><Icon name="door" size={18} /> <bdi>{localName(resource.zone)}</bdi></span>
      {qual && (
        <span class={hasQual ? '' : 'warn-text'}>
          <Icon name={hasQual ? 'check' : 'alert'} size={18} /> <span data-testid="resource-qualification">{tb(hasQual ? 'resource.qualOk' : 'resource.qualMissing', { name: localName(qual) })}</span>
        </span>
      )}
    </div>
  );
}

function DayColumn(props: {
  day: DateTime;
  resource: Resource | null;
  bookings: Booking[];
  cells: Cell[];
  rangeStart: number;
  rangeEnd: number;
  pxPerMin: number;
  hourMarks: number[];
  isToday: boolean;
  /** Bookings must end by then (MAX_ADVANCE_DAYS); the rest of the grid is marked. */
  horizon: DateTime | null;
  mine: Set<string>;
  /** A booking's space as the reader names it (as the space is now, if it was renamed since). */
  spaceName: (r: NamedThing) => string;
  onSlot: (start: DateTime) => void;
  onBooking: (id: string) => void;
}) {
  const { day, resource, rangeStart, rangeEnd, pxPerMin } = props;
  const dayStart = day.toMillis();
  const dayEnd = day.plus({ days: 1 }).toMillis();
  const y = (m: number) => (Math.max(rangeStart, Math.min(rangeEnd, m)) - rangeStart) * pxPerMin;

  // Closed stretches of the day, greyed out.
  const closed: [number, number][] = [];
  if (resource) {
    let cursor = rangeStart;
    for (const [o, c] of openIntervals(resource.openingHours, day.weekday)) {
      if (o > cursor) closed.push([cursor, o]);
      cursor = Math.max(cursor, c);
    }
    if (cursor < rangeEnd) closed.push([cursor, rangeEnd]);
  }

  const blocks = lanes(
    props.bookings
      .filter((b) => overlaps(Date.parse(b.startsAt), Date.parse(b.endsAt), dayStart, dayEnd))
      .map((b) => {
        const s = dt(b.startsAt);
        const e = dt(b.endsAt);
        const sm = Date.parse(b.startsAt) <= dayStart ? 0 : wallMinutes(s);
        const em = Date.parse(b.endsAt) >= dayEnd ? 1440 : wallMinutes(e);
        return { b, s: sm, e: Math.max(em, sm + 15), start: s, end: e };
      }),
  );

  const nowDt = now();
  const nowMin = wallMinutes(nowDt);
  // The part of the grid already gone, shaded, so an empty past looks past rather than free.
  const pastUntil = dayEnd <= nowDt.toMillis() ? rangeEnd : props.isToday ? Math.min(rangeEnd, nowMin) : rangeStart;
  // Beyond the booking horizon: from that time on this day, or the whole day.
  const hz = props.horizon;
  const beyondFrom = !hz || hz.toMillis() >= dayEnd ? null : hz.toMillis() <= dayStart ? rangeStart : Math.max(rangeStart, Math.min(rangeEnd, wallMinutes(hz)));

  return (
    <div class={`cal-col${props.isToday ? ' is-today' : ''}`} data-date={day.toISODate()}>
      {props.hourMarks.slice(1, -1).map((m) => (
        <div key={m} class="cal-line" style={{ top: `${y(m)}px` }} aria-hidden="true" />
      ))}
      {closed.map(([a, b]) => (
        <div key={a} class="cal-closed" data-testid="closed" style={{ top: `${y(a)}px`, height: `${y(b) - y(a)}px` }}>
          {y(b) - y(a) >= 40 && <span>{t('agenda.closed')}</span>}
        </div>
      ))}
      {pastUntil > rangeStart && <div class="cal-past" data-testid="past" style={{ height: `${y(pastUntil)}px` }} aria-hidden="true" />}
      {beyondFrom != null && beyondFrom < rangeEnd && (
        <div class="cal-beyond" data-testid="beyond-horizon" style={{ top: `${y(beyondFrom)}px`, height: `${y(rangeEnd) - y(beyondFrom)}px` }}>
          {y(rangeEnd) - y(beyondFrom) >= 60 && <span>{t('agenda.bookableUntil', { date: fmtDayTime(hz!) })}</span>}
        </div>
      )}
      {props.cells.map((c) => {
        const m = wallMinutes(c.start);
        return (
          <button
            type="button"
            key={c.start.toMillis()}
            class="free-slot"
            data-testid="free-slot"
            data-starts-at={slotKey(c.start)}
            style={{ top: `${y(m)}px`, height: `${Math.max(44, (c.end.toMillis() - c.start.toMillis()) / 60000 * pxPerMin) - 2}px` }}
            aria-label={t('agenda.freeSlotLabel', { when: fmtDayTime(c.start) })}
            onClick={() => props.onSlot(c.start)}
          >
            <Icon name="plus" size={16} />
            <span>{fmtTime(c.start)}</span>
          </button>
        );
      })}
      {blocks.map(({ b, s, e, lane, lanes: n, start, end }) => {
        const color = collectiveColor(b.collective.id);
        const mine = props.mine.has(b.collective.id);
        const h = y(e) - y(s);
        const short = h < 44;
        const status = b.status === 'PENDING' || b.status === 'CHECKED_IN' ? t(`status.${b.status}`) : null;
        const space = props.spaceName(b.resource);
        // The name starts with the words the block shows, in their order (a voice command says what
        // the eyes read), then what it does not show: the day, and the space in a one-space agenda.
        const name = short
          ? tList([b.title, status, b.collective.name, space, fmtWhen(start, end)])
          : tList([b.title, b.collective.name, !props.resource && space, fmtSpan(start, end), status, !spansDays(start, end) && fmtDay(start), !!props.resource && space]);
        return (
          <button
            type="button"
            key={b.id}
            class={`booking status-${b.status.toLowerCase()}${mine ? ' mine' : ''}${short ? ' short' : ''}`}
            data-testid="booking"
            data-booking-id={b.id}
            data-status={b.status}
            data-collective-id={b.collective.id}
            style={{
              top: `${y(s)}px`,
              height: `${Math.max(h, 22) - 2}px`,
              insetInlineStart: `calc(${(lane / n) * 100}% + 2px)`,
              width: `calc(${100 / n}% - 4px)`,
              background: color,
            }}
            onClick={() => props.onBooking(b.id)}
            aria-label={name}
          >
            {/* Spaces between the lines (not drawn between flex items): the block's text reads as words, not "coutureAtemos". */}
            <span class="booking-title" dir="auto">{b.title}</span>{' '}
            <span class="booking-meta" dir="auto">{b.collective.name}</span>{' '}
            {!props.resource && <><span class="booking-meta booking-resource" dir="auto">{space}</span>{' '}</>}
            <span class="booking-meta">{fmtSpan(start, end)}</span>{' '}
            {status && <span class="booking-status">{b.status === 'CHECKED_IN' && <><Icon name="check" size={14} />{' '}</>}{status}</span>}
          </button>
        );
      })}
      {props.isToday && nowMin >= rangeStart && nowMin <= rangeEnd && (
        <div class="cal-now" style={{ top: `${y(nowMin)}px` }} aria-hidden="true" />
      )}
    </div>
  );
}

function Legend({ bookings }: { bookings: Booking[] }) {
  const seen = new Map<string, string>();
  for (const b of bookings) seen.set(b.collective.id, b.collective.name);
  if (seen.size === 0) return null;
  return (
    <ul class="legend" aria-label={t('agenda.legend')}>
      {[...seen].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => (
        <li key={id}>
          <span class="swatch" style={{ background: collectiveColor(id) }} aria-hidden="true" />
          <bdi>{name}</bdi>
        </li>
      ))}
    </ul>
  );
}
