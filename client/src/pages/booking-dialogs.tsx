import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { collectiveColor } from '../colors';
import { Button, Dialog, ErrorBox, Msg } from '../components/ui';
import { t } from '../i18n';
import { Icon } from '../icons';
import { activeMemberships, hasRole } from '../session';
import { DateTime, dt, fmtDay, fmtMinutes, fmtMoney, fmtRange, fmtUnit, now, toApi, fmt } from '../time';
import { ACTIVE_STATUSES, type Booking, type IdName, type Me, type Resource, type TimeRange } from '../types';
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
}) {
  const { me, resource, start } = props;
  const own = useMemo(() => {
    const seen = new Map<string, IdName>();
    for (const m of activeMemberships(me)) seen.set(m.collective.id, m.collective);
    return [...seen.values()];
  }, [me]);
  const [others, setOthers] = useState<IdName[]>([]);
  useEffect(() => {
    if (!props.isSteward) return;
    gql<{ collectives: IdName[] }>('query Collectives { collectives { id name } }').then(
      (d) => setOthers(d.collectives.filter((c) => !own.some((o) => o.id === c.id))),
      () => undefined,
    );
  }, []);
  const choices = [...own, ...others];

  const s = start.toMillis();
  const container = props.availability.find((a) => Date.parse(a.startsAt) <= s && s < Date.parse(a.endsAt));
  const maxFit = container ? (Date.parse(container.endsAt) - s) / 60000 : resource.maxMinutes;
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

  useEffect(() => {
    if (!collectiveId && choices.length > 0) setCollectiveId(choices[0].id);
  }, [choices.length]);

  const end = start.plus({ minutes: duration });
  // Live: a booking that arrives for this time makes the slot taken at once.
  const taken = blockedBy(props.bookings, resource.id, resource.bufferMinutes, start, end);
  const past = start < now();
  const qual = resource.requiredQualification;
  const missingQual =
    qual && !me.qualifications.some((q) => q.qualification.name === qual.name && (!q.expiresAt || Date.parse(q.expiresAt) > Date.now()));
  const canSubmit = !taken && !past && !busy && title.trim() !== '' && collectiveId !== '';
  // A CONFLICT from the server already says it is taken, and lists the dates.
  const conflictShown = error instanceof ApiError && error.code === 'CONFLICT';
  const warnRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (taken || past) warnRef.current?.scrollIntoView({ block: 'nearest' });
  }, [!!taken, past]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!canSubmit) return;
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
      <form onSubmit={submit} class="form">
        <p class="summary" data-testid="book-summary">
          <Icon name="calendar" />
          <span>
            <strong>{resource.name}</strong>
            <br />
            {fmtDay(start)}, {fmtRange(start, end)}
          </span>
        </p>

        {missingQual && <Msg kind="warn">{t('book.needQual', { name: qual!.name })}</Msg>}
        {resource.requiresApproval && <Msg kind="info">{t('book.needsApproval')}</Msg>}

        <div class="field">
          <label for="book-title">{t('book.what')}</label>
          <input
            id="book-title"
            dir="auto"
            data-testid="book-title"
            required
            maxLength={120}
            value={title}
            placeholder={t('book.whatPlaceholder')}
            onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
          />
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
                {fmtMinutes(d, 'long')} ({fmtRange(start, start.plus({ minutes: d }))}){d > maxFit ? ` – ${t('book.durationTaken')}` : ''}
              </option>
            ))}
          </select>
          {resource.bufferMinutes > 0 && <p class="hint">{t('book.bufferHint', { n: fmtMinutes(resource.bufferMinutes, 'long') })}</p>}
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
        <div ref={warnRef}>
          {taken && !conflictShown && (
            <Msg kind="warn" testid="slot-taken">
              {t('book.taken', { name: taken.collective.name })}
            </Msg>
          )}
          {past && !taken && <Msg kind="warn" testid="slot-past">{t('book.past')}</Msg>}
        </div>
        <ErrorBox error={error} context="book" />

        <div class="actions">
          <Button type="submit" variant="primary" icon="check" disabled={!canSubmit} data-testid="book-submit">
            {busy ? t('common.wait') : t('book.submit')}
          </Button>
          <Button onClick={props.onClose} data-testid="book-cancel">
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function BookingDetails(props: {
  me: Me;
  booking: Booking;
  onClose: () => void;
  onUpdated: (b: Booking) => void;
  onCancelled: (list: Booking[]) => void;
}) {
  const { me, booking: b } = props;
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    gql<{ booking: Booking | null }>(`query Booking($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} } }`, { id: b.id }).then(
      (d) => d.booking && props.onUpdated(d.booking),
      () => undefined,
    );
  }, [b.id]);

  const start = dt(b.startsAt);
  const end = dt(b.endsAt);
  const member = activeMemberships(me).some((m) => m.collective.id === b.collective.id);
  const canCancel = ACTIVE_STATUSES.includes(b.status) && end > now() && (member || hasRole(me, 'STEWARD', 'ADMIN'));

  async function cancel(wholeSeries: boolean) {
    setBusy(true);
    setError(null);
    try {
      const d = await gql<{ cancelBooking: Booking[] }>(
        `mutation Cancel($id: ID!, $wholeSeries: Boolean) { cancelBooking(id: $id, wholeSeries: $wholeSeries) { id status } }`,
        { id: b.id, wholeSeries },
      );
      props.onCancelled(d.cancelBooking.length ? (d.cancelBooking as Booking[]) : [b]);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={b.title} onClose={props.onClose} testid="booking-details">
      <dl class="details">
        <div>
          <dt>{t('booking.collective')}</dt>
          <dd>
            <span class="swatch" style={{ background: collectiveColor(b.collective.id) }} aria-hidden="true" /> {b.collective.name}
          </dd>
        </div>
        <div>
          <dt>{t('booking.resource')}</dt>
          <dd>{b.resource.name}</dd>
        </div>
        <div>
          <dt>{t('booking.when')}</dt>
          <dd>
            {fmtDay(start)}, {fmtRange(start, end)}
          </dd>
        </div>
        <div>
          <dt>{t('booking.status')}</dt>
          <dd data-testid="booking-status">{t(`status.${b.status}`)}</dd>
        </div>
        {b.bookedBy && (
          <div>
            <dt>{t('booking.bookedBy')}</dt>
            <dd>{b.bookedBy.displayName}</dd>
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

      <ErrorBox error={error} context="cancel" />

      {canCancel && !confirm && (
        <div class="actions">
          <Button variant="danger" icon="trash" onClick={() => setConfirm(true)} data-testid="cancel-booking">
            {t('cancel.button')}
          </Button>
          <Button onClick={props.onClose}>{t('common.close')}</Button>
        </div>
      )}
      {canCancel && confirm && (
        <div class="confirm-box" role="group" aria-labelledby="confirm-q">
          <p id="confirm-q">
            <strong>{t('cancel.question')}</strong>
          </p>
          <div class="actions">
            <Button variant="danger" icon="check" disabled={busy} onClick={() => cancel(false)} data-testid="cancel-confirm" autoFocus>
              {b.seriesId ? t('cancel.onlyThis') : t('cancel.yes')}
            </Button>
            {b.seriesId && (
              <Button variant="danger" icon="repeat" disabled={busy} onClick={() => cancel(true)} data-testid="cancel-series">
                {t('cancel.wholeSeries')}
              </Button>
            )}
            <Button onClick={() => setConfirm(false)} data-testid="cancel-keep">
              {t('cancel.keep')}
            </Button>
          </div>
        </div>
      )}
      {!canCancel && (
        <div class="actions">
          <Button onClick={props.onClose}>{t('common.close')}</Button>
        </div>
      )}
    </Dialog>
  );
}
