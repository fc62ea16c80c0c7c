import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { BOOKING_FIELDS } from '../bookings';
import { collectiveColor } from '../colors';
import { ErrorBox, Msg, Spinner } from '../components/ui';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { loadRuleValues, ruleFor, type RuleValue } from '../rules';
import { activeMemberships } from '../session';
import { dt, fmtWhen, now, toApi } from '../time';
import { spaceNamer } from '../spaces';
import type { Booking, Me } from '../types';
import { BookingDetails, cancelledNotice } from './booking-dialogs';

/** How far ahead the list looks. */
const AHEAD_DAYS = 90;
const UPCOMING = ['PENDING', 'CONFIRMED', 'CHECKED_IN'];

/**
 * The coming bookings of my collectives, to find one again without remembering its space and
 * day: see whether a request was accepted, open it, cancel it.
 */
export function MyBookings({ me }: { me: Me }) {
  const mine = new Set(activeMemberships(me).map((m) => m.collective.id));
  const list = useLoad(async () => {
    const from = now();
    const d = await gql<{ bookings: Booking[] }>(
      `query MyBookings($from: DateTime!, $to: DateTime!, $statuses: [BookingStatus!]) { bookings(from: $from, to: $to, statuses: $statuses) { ${BOOKING_FIELDS} } }`,
      { from: toApi(from), to: toApi(from.plus({ days: AHEAD_DAYS })), statuses: UPCOMING },
    );
    return d.bookings
      .filter((b) => mine.has(b.collective.id) && Date.parse(b.endsAt) > Date.now())
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  }, [me.id]);
  const [rules, setRules] = useState<RuleValue[] | null>(null);
  const [open, setOpen] = useState<Booking | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reloadTimer = useRef<number | undefined>(undefined);
  // Each booking names its space as the list has it now (reloaded when a steward renames or
  // translates a space): the open dialog's copy of the booking too.
  const spaceName = spaceNamer(list.data?.map((b) => b.resource) ?? null);
  // A cancelled booking's row goes with its dialog: the keyboard goes on to the next booking in
  // the list (or to the list's heading when it was the last) rather than to the top of the page.
  const sectionRef = useRef<HTMLElement>(null);
  const [focusAfter, setFocusAfter] = useState<{ next: string | null } | null>(null);
  useEffect(() => {
    if (!focusAfter) return;
    const next = focusAfter.next && sectionRef.current?.querySelector<HTMLElement>(`[data-testid="my-booking"][data-booking-id="${focusAfter.next}"]`);
    (next || sectionRef.current?.querySelector<HTMLElement>('h2'))?.focus();
    setFocusAfter(null);
  }, [focusAfter]);

  useEffect(() => {
    void loadRuleValues().then(setRules, () => undefined);
    // A booking of one of my collectives changed elsewhere (accepted, cancelled, booked by a
    // colleague), or a space was renamed: the bookings come with their spaces' names.
    const off = live.on((ev) => {
      if (!(ev.type === 'booking.changed' && mine.has(ev.booking.collectiveId)) && ev.type !== 'resource.changed') return;
      clearTimeout(reloadTimer.current);
      reloadTimer.current = window.setTimeout(() => list.reload(), 200);
    });
    return () => {
      off();
      clearTimeout(reloadTimer.current);
    };
  }, [me.id]);

  const bookings = list.data ?? [];
  return (
    <section ref={sectionRef} class="card" aria-labelledby="my-bookings-h" data-testid="my-bookings">
      <h2 id="my-bookings-h" tabIndex={-1}>
        <Icon name="calendar" /> {t('account.bookings')}
      </h2>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.loading && !list.data && <Spinner />}
      {list.data && bookings.length === 0 && <p class="empty">{t(mine.size ? 'account.noBookings' : 'account.noCollective')}</p>}
      {notice && <Msg kind="ok" testid="my-bookings-notice">{notice}</Msg>}
      <ul class="plain-list my-bookings">
        {bookings.map((b) => (
          <li key={b.id}>
            <button type="button" class="my-booking" data-testid="my-booking" data-booking-id={b.id} data-status={b.status} onClick={() => setOpen(b)}>
              <span class="swatch" style={{ background: collectiveColor(b.collective.id) }} aria-hidden="true" />
              <span class="my-booking-main">
                <strong dir="auto">{b.title}</strong>
                <span>{fmtWhen(dt(b.startsAt), dt(b.endsAt))}</span>
                <span class="hint">
                  <bdi data-testid="my-booking-space">{spaceName(b.resource)}</bdi> · <bdi>{b.collective.name}</bdi>
                </span>
              </span>
              <span class={`chip chip-status-${b.status.toLowerCase()}`}>{t(`status.${b.status}`)}</span>
            </button>
          </li>
        ))}
      </ul>
      {list.data && bookings.length > 0 && <p class="hint">{t('account.bookingsHint', { n: AHEAD_DAYS })}</p>}
      {open && (
        <BookingDetails
          me={me}
          booking={open}
          spaceName={spaceName}
          noticeMinutes={ruleFor(rules, 'CANCELLATION_NOTICE_MINUTES', open.resource.id)}
          onClose={() => setOpen(null)}
          onUpdated={(b) => list.set((all) => all && all.map((x) => (x.id === b.id ? { ...x, ...b } : x)))}
          onCancelled={(cancelled, refused) => {
            const ids = new Set(cancelled.map((c) => c.id));
            const at = bookings.findIndex((b) => b.id === open.id);
            setFocusAfter({ next: bookings.slice(at + 1).find((b) => !ids.has(b.id))?.id ?? null });
            list.set((all) => all && all.filter((b) => !ids.has(b.id)));
            setOpen(null);
            setNotice(cancelledNotice(cancelled.length, refused));
          }}
        />
      )}
    </section>
  );
}
