import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { collectiveColor } from '../colors';
import { Button, Dialog, ErrorBox, Msg, tb } from '../components/ui';
import { localName, t } from '../i18n';
import { Icon } from '../icons';
import { activeMemberships, hasRole, holdsQualification } from '../session';
import { DateTime, dt, fmtDay, fmtDays, fmtDayTime, fmtLength, fmtMinutes, fmtMoney, fmtSpan, fmtUnit, fmtWhen, now, toApi, fmt } from '../time';
import { type Booking, type CollectiveChoice, type Me, type NamedThing, type Resource, type TimeRange } from '../types';
import { BOOKING_FIELDS, blockedBy } from '../bookings';

export function BookDialog(props: {
  me: Me;
  resource: Resource;
  start: DateTime;
  availability: TimeRange[];
  bookings: Booking[];
  isSteward: boolean;
  onClose: () => void;
  onBooked: (created: Booking[]) => void;
  /** The server said the time is taken: what this page shows is out of date. */
  onConflict?: () => void;
  /** The latest end a booking may have (MAX_ADVANCE_DAYS); null when there is no limit (staff). */
  horizon?: DateTime | null;
  /** CANCELLATION_NOTICE_MINUTES for this resource, when known. */
  noticeMinutes?: number | null;
}) {
  const { me, resource, start } = props;
  const own = useMemo(() => {
    const seen = new Map<string, CollectiveChoice>();
    for (const m of activeMemberships(me)) seen.set(m.collective.id, m.collective);
    return [...seen.values()];
  }, [me]);
  const [others, setOthers] = useState<CollectiveChoice[]>([]);
  useEffect(() => {
    if (!props.isSteward) return;
    gql<{ collectives: CollectiveChoice[] }>('query Collectives { collectives { id name tariffTier } }').then(
      (d) => setOthers(d.collectives.filter((c) => !own.some((o) => o.id === c.id))),
      () => undefined,
    );
  }, []);
  const choices = [...own, ...others];

  const s = start.toMillis();
  const container = props.availability.find((a) => Date.parse(a.startsAt) <= s && s < Date.parse(a.endsAt));
  const horizonMs = props.horizon ? props.horizon.toMillis() : Infinity;
  const roomFit = container ? (Date.parse(container.endsAt) - s) / 60000 : resource.maxMinutes;
  const maxFit = Math.min(roomFit, (horizonMs - s) / 60000);
  const durations: number[] = [];
  for (let m = resource.minMinutes; m <= resource.maxMinutes; m += resource.slotMinutes) durations.push(m);
  const fitting = durations.filter((d) => d <= maxFit);
  const preferred = fitting.filter((d) => d <= 120).pop() ?? fitting[0] ?? resource.minMinutes;

  const [title, setTitle] = useState('');
  const [collectiveId, setCollectiveId] = useState(own[0]?.id ?? '');
  const [duration, setDuration] = useState(preferred);
  const [repeat, setRepeat] = useState(false);
  const [weeks, setWeeks] = useState(4);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A series refused because some weeks are taken can be booked without them (skipOccurrences),
  // as long as it is still the series those weeks were refused for.
  const seriesKey = JSON.stringify([collectiveId, duration, repeat, weeks]);
  const [lastTry, setLastTry] = useState<{ key: string; skip: string[] }>({ key: seriesKey, skip: [] });
  const sameSeries = lastTry.key === seriesKey;

  useEffect(() => {
    if (!collectiveId && choices.length > 0) setCollectiveId(choices[0].id);
  }, [choices.length]);

  const end = start.plus({ minutes: duration });
  // What the server will charge (DESIGN: duration × the rate of the collective's tier, real
  // minutes, rounded to the cent), known before booking; null while the tier is unknown.
  const tier = choices.find((c) => c.id === collectiveId)?.tariffTier;
  const rate = tier ? (resource.rates?.find((r) => r.tier === tier)?.centsPerHour ?? 0) : null;
  const price = rate == null ? null : Math.round(((end.toMillis() - start.toMillis()) / 60000) * rate / 60);
  const occurrences = repeat && weeks > 1 ? weeks : 1;
  // A locker taken by the day: its lengths are told by the days they hold, not 00:00 – 00:00.
  const byDay = resource.slotMinutes % 1440 === 0;
  // Members cancel only before the notice: booked inside it, it cannot be cancelled here at all.
  const notice = props.isSteward ? 0 : (props.noticeMinutes ?? 0);
  const insideNotice = notice > 0 && start.minus({ minutes: notice }) < now();
  // Live: a booking that arrives for this time makes the slot taken at once.
  const taken = blockedBy(props.bookings, resource.id, resource.bufferMinutes, start, end);
  const past = start < now();
  const qual = resource.requiredQualification;
  const missingQual = qual && !holdsQualification(me, qual.id);
  // A missing title does not grey the button: pressing it says what is missing.
  const held = past || !!missingQual || busy || collectiveId === '';
  const canSubmit = !taken && !held;
  // A CONFLICT from the server already says it is taken, and lists the dates.
  const conflictShown = error instanceof ApiError && error.code === 'CONFLICT';
  const warnRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (taken || past) warnRef.current?.scrollIntoView({ block: 'nearest' });
  }, [!!taken, past]);
  const [titleMissing, setTitleMissing] = useState(false);

  // The weeks still free once the taken ones the server listed are left out.
  const takenWeeks = conflictShown && sameSeries && occurrences > 1 ? (error as ApiError).conflicts.map((c) => c.startsAt) : [];
  const othersLeft = occurrences - lastTry.skip.length - takenWeeks.length;
  const othersRef = useRef<HTMLDivElement>(null);
  const offerOthers = takenWeeks.length > 0 && othersLeft > 0;
  useEffect(() => {
    // After the error's own scroll: the way on must be on screen too, under the taken dates.
    if (offerOthers) othersRef.current?.scrollIntoView({ block: 'nearest' });
  }, [offerOthers, error]);

  async function submit(e: Event, skip: string[] = []) {
    e.preventDefault();
    if (title.trim() === '') {
      setTitleMissing(true);
      return;
    }
    // Its first week may be the taken one, left out.
    if (held || (taken && !skip.some((startsAt) => Date.parse(startsAt) === start.toMillis()))) return;
    setBusy(true);
    setError(null);
    try {
      const input: Record<string, unknown> = {
        resourceId: resource.id,
        collectiveId,
        title: title.trim(),
        startsAt: toApi(start),
        endsAt: toApi(end),
      };
      if (repeat && weeks > 1) input.rrule = `FREQ=WEEKLY;COUNT=${weeks}`;
      if (input.rrule && skip.length) input.skipOccurrences = skip;
      setLastTry({ key: seriesKey, skip });
      const d = await gql<{ book: Booking[] }>(
        `mutation Book($input: BookInput!) { book(input: $input) { ${BOOKING_FIELDS} } }`,
        { input },
      );
      props.onBooked(d.book);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (err instanceof ApiError && err.code === 'CONFLICT') props.onConflict?.();
    }
  }

  return (
    <Dialog title={t('book.title')} onClose={props.onClose} testid="book-dialog">
      <form onSubmit={submit} class="form" noValidate>
        <p class="summary" data-testid="book-summary">
          <Icon name="calendar" />
          <span>
            <strong>
              <bdi>{localName(resource)}</bdi>
            </strong>
            <br />
            {fmtWhen(start, end)}
          </span>
        </p>

        {missingQual && <Msg kind="warn" testid="need-qualification">{tb('book.needQual', { name: localName(qual!) })}</Msg>}
        {resource.requiresApproval && <Msg kind="info">{t('book.needsApproval')}</Msg>}

        <div class="field">
          <label for="book-title">{t('book.what')}</label>
          <input
            id="book-title"
            dir="auto"
            data-testid="book-title"
            required
            aria-invalid={titleMissing && title.trim() === ''}
            aria-describedby={titleMissing && title.trim() === '' ? 'book-title-missing' : undefined}
            maxLength={120}
            value={title}
            placeholder={t('book.whatPlaceholder')}
            onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
          />
          {titleMissing && title.trim() === '' && (
            <p class="field-error" id="book-title-missing" data-testid="field-error">
              {t('book.titleMissing')}
            </p>
          )}
        </div>

        <div class="field">
          <label for="book-collective">{t('book.collective')}</label>
          {choices.length === 0 ? (
            <p class="msg msg-warn" data-testid="no-collective">{t('book.noCollective')}</p>
          ) : (
            <select
              id="book-collective"
              data-testid="book-collective"
              value={collectiveId}
              onChange={(e) => setCollectiveId((e.currentTarget as HTMLSelectElement).value)}
            >
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </div>

        <div class="field">
          <label for="book-duration">{t('book.duration')}</label>
          <select
            id="book-duration"
            data-testid="book-duration"
            value={String(duration)}
            onChange={(e) => setDuration(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {durations.map((d) => (
              <option key={d} value={String(d)} disabled={d > maxFit}>
                {fmtLength(d)} ({byDay ? fmtDays(start, start.plus({ minutes: d })) : fmtSpan(start, start.plus({ minutes: d }))})
                {d > maxFit ? ` – ${t(d <= roomFit ? 'book.durationTooFar' : 'book.durationTaken')}` : ''}
              </option>
            ))}
          </select>
          {resource.bufferMinutes > 0 && <p class="hint">{t('book.bufferHint', { n: fmtMinutes(resource.bufferMinutes, 'long') })}</p>}
          {props.horizon && maxFit < resource.maxMinutes && maxFit < roomFit && (
            <p class="hint" data-testid="book-horizon">{t('agenda.bookableUntil', { date: fmtDayTime(props.horizon) })}</p>
          )}
        </div>

        <div class="field check-field">
          <input
            type="checkbox"
            id="book-repeat"
            data-testid="book-repeat"
            checked={repeat}
            onChange={(e) => setRepeat((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="book-repeat">
            <Icon name="repeat" size={18} /> {t('book.repeat', { day: fmt(start, { weekday: 'long' }) })}
          </label>
        </div>
        {repeat && (
          <div class="field">
            <label for="book-weeks">{t('book.weeks')}</label>
            <input
              id="book-weeks"
              data-testid="book-weeks"
              type="number"
              inputMode="numeric"
              min={2}
              max={52}
              value={weeks}
              onInput={(e) => setWeeks(Math.max(2, Math.min(52, Number((e.currentTarget as HTMLInputElement).value) || 2)))}
            />
            <p class="hint">
              {t('book.repeatUntil', { n: fmtUnit(weeks, 'week'), last: fmtDay(start.plus({ weeks: weeks - 1 })) })}
            </p>
          </div>
        )}

        {/* Beside the button, where the eyes are when it turns grey (also on a small phone). */}
        {price != null && (
          <p class="price-line" data-testid="book-price" data-cents={price}>
            <Icon name="ticket" size={18} />{' '}
            {price === 0
              ? t('book.priceFree')
              : occurrences > 1
                ? t('book.priceEach', { price: fmtMoney(price), total: fmtMoney(price * occurrences), n: occurrences })
                : t('book.price', { price: fmtMoney(price) })}
          </p>
        )}
        <div ref={warnRef}>
          {taken && !conflictShown && (
            <Msg kind="warn" testid="slot-taken">
              {tb('book.taken', { name: taken.collective.name })}
            </Msg>
          )}
          {past && !taken && <Msg kind="warn" testid="slot-past">{t('book.past')}</Msg>}
          {insideNotice && !taken && !past && (
            <Msg kind="warn" testid="book-inside-notice">
              {t('book.insideNotice', { n: fmtMinutes(notice, 'long') })}
            </Msg>
          )}
          {missingQual && !taken && !past && <Msg kind="warn" testid="qual-missing-submit">{t('book.askTeamQual')}</Msg>}
        </div>
        <ErrorBox error={error} context="book" />
        {offerOthers && (
          <div ref={othersRef} class="book-others">
            <Button variant="primary" icon="repeat" disabled={held} onClick={(e: Event) => submit(e, [...lastTry.skip, ...takenWeeks])} data-testid="book-others">
              {t('book.bookOthers', { n: othersLeft })}
            </Button>
          </div>
        )}

        <div class="actions">
          <Button type="submit" variant="primary" icon="check" disabled={!canSubmit} data-testid="book-submit">
            {busy ? t('common.wait') : resource.requiresApproval && !props.isSteward ? t('book.submitRequest') : t('book.submit')}
          </Button>
          <Button onClick={props.onClose} data-testid="book-cancel">
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** What a page says once bookings were cancelled (or a request refused by a steward). */
export function cancelledNotice(count: number, refused: boolean): string {
  return refused ? t('refuse.done') : count > 1 ? t('cancel.doneSeries', { n: count }) : t('cancel.done');
}

export function BookingDetails(props: {
  me: Me;
  booking: Booking;
  /** The booking's space as the reader names it, from the caller's list of spaces (which follows renames live); else as fetched with the booking. */
  spaceName?: (r: NamedThing) => string;
  /** CANCELLATION_NOTICE_MINUTES for this resource (members only cancel before it), when known. */
  noticeMinutes?: number | null;
  onClose: () => void;
  onUpdated: (b: Booking) => void;
  onCancelled: (list: Booking[], refused: boolean) => void;
}) {
  const { me, booking: b } = props;
  const spaceName = props.spaceName ?? localName;
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tooLateError, setTooLateError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [approved, setApproved] = useState(false);

  useEffect(() => {
    gql<{ booking: Booking | null }>(`query Booking($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} } }`, { id: b.id }).then(
      (d) => d.booking && props.onUpdated(d.booking),
      () => undefined,
    );
  }, [b.id]);

  const start = dt(b.startsAt);
  const end = dt(b.endsAt);
  const staff = hasRole(me, 'STEWARD', 'ADMIN');
  const member = activeMemberships(me).some((m) => m.collective.id === b.collective.id);
  // The server cancels a PENDING or CONFIRMED booking that has not started; members only
  // before the notice (CANCELLATION_NOTICE_MINUTES), stewards until the start.
  const cancellable = (b.status === 'PENDING' || b.status === 'CONFIRMED') && start > now() && (member || staff);
  const notice = props.noticeMinutes ?? 0;
  const tooLate = cancellable && !staff && notice > 0 && start.minus({ minutes: notice }) < now();
  const canCancel = cancellable && !tooLate;
  const canApprove = staff && b.status === 'PENDING' && end > now();
  const refusing = staff && b.status === 'PENDING';

  async function cancel(wholeSeries: boolean) {
    setBusy(true);
    setError(null);
    setTooLateError(false);
    try {
      const d = await gql<{ cancelBooking: Booking[] }>(
        `mutation Cancel($id: ID!, $wholeSeries: Boolean) { cancelBooking(id: $id, wholeSeries: $wholeSeries) { id status } }`,
        { id: b.id, wholeSeries },
      );
      props.onCancelled(d.cancelBooking.length ? (d.cancelBooking as Booking[]) : [b], refusing);
    } catch (err) {
      // INVALID_STATE on a booking still to come is the notice: too late to cancel online.
      setTooLateError(err instanceof ApiError && err.code === 'INVALID_STATE' && (b.status === 'PENDING' || b.status === 'CONFIRMED') && dt(b.startsAt) > now());
      setError(err);
      setBusy(false);
      setConfirm(false);
    }
  }

  async function approve() {
    setBusy(true);
    setError(null);
    setTooLateError(false);
    try {
      const d = await gql<{ approveBooking: Booking }>(`mutation Approve($id: ID!) { approveBooking(id: $id) { ${BOOKING_FIELDS} } }`, { id: b.id });
      props.onUpdated(d.approveBooking);
      setApproved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={b.title} onClose={props.onClose} testid="booking-details">
      <dl class="details">
        <div>
          <dt>{t('booking.collective')}</dt>
          <dd>
            <span class="swatch" style={{ background: collectiveColor(b.collective.id) }} aria-hidden="true" /> <bdi>{b.collective.name}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t('booking.resource')}</dt>
          <dd data-testid="booking-resource">
            <bdi>{spaceName(b.resource)}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t('booking.when')}</dt>
          <dd>{fmtWhen(start, end)}</dd>
        </div>
        <div>
          <dt>{t('booking.status')}</dt>
          <dd data-testid="booking-status" data-status={b.status}>
            {t(`status.${b.status}`)}
          </dd>
        </div>
        {b.bookedBy && (
          <div>
            <dt>{t('booking.bookedBy')}</dt>
            <dd>
              <bdi>{b.bookedBy.displayName}</bdi>
            </dd>
          </div>
        )}
        {b.priceCents != null && (
          <div>
            <dt>{t('booking.price')}</dt>
            <dd>{b.priceCents === 0 ? t('booking.free') : fmtMoney(b.priceCents)}</dd>
          </div>
        )}
        {b.seriesId && (
          <div>
            <dt>{t('booking.series')}</dt>
            <dd>
              <Icon name="repeat" size={18} /> {t('booking.weekly')}
            </dd>
          </div>
        )}
      </dl>

      {b.status === 'PENDING' && !staff && <Msg kind="info" testid="pending-info">{t('booking.pendingInfo', { date: fmtDayTime(start) })}</Msg>}
      {approved && b.status === 'CONFIRMED' && <Msg kind="ok" testid="approved">{t('booking.approved')}</Msg>}
      {tooLate && (
        <Msg kind="warn" testid="cancel-too-late">
          {t('cancel.tooLate', { n: fmtMinutes(notice, 'long') })}
        </Msg>
      )}
      <ErrorBox error={error} context={canApprove ? 'approve' : 'cancel'} text={tooLateError ? t('error.cancel.BAD_USER_INPUT') : undefined} />

      {!confirm && (
        <div class="actions">
          {canApprove && (
            <Button variant="primary" icon="check" disabled={busy} onClick={approve} data-testid="approve-booking">
              {t('approve.button')}
            </Button>
          )}
          {canCancel && (
            <Button variant="danger" icon={refusing ? 'cross' : 'trash'} disabled={busy} onClick={() => setConfirm(true)} data-testid="cancel-booking">
              {refusing ? t('refuse.button') : t('cancel.button')}
            </Button>
          )}
          <Button onClick={props.onClose}>{t('common.close')}</Button>
        </div>
      )}
      {canCancel && confirm && (
        <div class="confirm-box" role="group" aria-labelledby="confirm-q">
          <p id="confirm-q">
            <strong>{refusing ? t('refuse.question') : t('cancel.question')}</strong>
          </p>
          <div class="actions">
            <Button variant="danger" icon="check" disabled={busy} onClick={() => cancel(false)} data-testid="cancel-confirm">
              {b.seriesId ? t('cancel.onlyThis') : refusing ? t('refuse.yes') : t('cancel.yes')}
            </Button>
            {b.seriesId && (
              <Button variant="danger" icon="repeat" disabled={busy} onClick={() => cancel(true)} data-testid="cancel-series">
                {t('cancel.wholeSeries')}
              </Button>
            )}
            <Button focusOnMount onClick={() => setConfirm(false)} data-testid="cancel-keep">
              {refusing ? t('refuse.keep') : t('cancel.keep')}
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
