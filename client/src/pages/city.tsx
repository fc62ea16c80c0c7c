import { useState } from 'preact/hooks';
import { downloadWithToken, gql } from '../api';
import { ColumnChart, Heatmap, LineChart } from '../components/charts';
import { ErrorBox, PageTitle, Spinner } from '../components/ui';
import { PALETTE } from '../colors';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { Icon } from '../icons';
import { DateTime, ZONE, dt, fmtNumber, fmtUnit, now, toApi, weekdayNames, weekStart, fmt } from '../time';

type Granularity = 'DAY' | 'WEEK' | 'MONTH';

interface OccupancyRow {
  resource: { id: string; name: string };
  periodStart: string;
  periodEnd: string;
  openMinutes: number;
  bookedMinutes: number;
  usedMinutes: number;
  bookings: number;
  noShows: number;
  cancellations: number;
  distinctCollectives: number;
  occupancyRate: number;
  utilizationRate: number;
}

interface AttendanceRow {
  periodStart: string;
  periodEnd: string;
  uniqueVisitors: number;
  entries: number;
}

const BOOKED = new Set(['CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW']);

function periodLabel(iso: string, g: Granularity): string {
  const d = dt(iso);
  if (g === 'MONTH') return fmt(d, { month: 'short', year: '2-digit' });
  return fmt(d, { day: 'numeric', month: 'short' });
}

const pct = (v: number) => fmtNumber(v, { style: 'percent', maximumFractionDigits: 0 });

export function CityPage() {
  const start = weekStart(now());
  const [from, setFrom] = useState(start.minus({ weeks: 7 }).toISODate()!);
  const [to, setTo] = useState(start.plus({ days: 6 }).toISODate()!);
  const [granularity, setGranularity] = useState<Granularity>('WEEK');

  const fromDt = DateTime.fromISO(from, { zone: ZONE }).startOf('day');
  const toDt = DateTime.fromISO(to, { zone: ZONE }).startOf('day').plus({ days: 1 });
  const valid = fromDt.isValid && toDt.isValid && toDt > fromDt;
  const vars = valid ? { from: toApi(fromDt), to: toApi(toDt), granularity } : null;
  const key = JSON.stringify(vars);

  const occupancy = useLoad(async () => {
    if (!vars) return [];
    const d = await gql<{ occupancy: OccupancyRow[] }>(
      `query Occupancy($from: DateTime!, $to: DateTime!, $granularity: Granularity!) { occupancy(from: $from, to: $to, granularity: $granularity) {
        resource { id name } periodStart periodEnd openMinutes bookedMinutes usedMinutes bookings noShows cancellations distinctCollectives occupancyRate utilizationRate } }`,
      vars,
    );
    return d.occupancy;
  }, [key]);
  const attendance = useLoad(async () => {
    if (!vars) return [];
    const d = await gql<{ attendance: AttendanceRow[] }>(
      'query Attendance($from: DateTime!, $to: DateTime!, $granularity: Granularity!) { attendance(from: $from, to: $to, granularity: $granularity) { periodStart periodEnd uniqueVisitors entries } }',
      vars,
    );
    return d.attendance;
  }, [key]);
  const heat = useLoad(async () => {
    if (!vars) return null;
    const d = await gql<{ bookings: { startsAt: string; endsAt: string; status: string }[] }>(
      'query HeatBookings($from: DateTime!, $to: DateTime!) { bookings(from: $from, to: $to) { startsAt endsAt status } }',
      { from: vars.from, to: vars.to },
    );
    // Booked minutes per local weekday and hour, averaged per week of the period.
    const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const b of d.bookings) {
      if (!BOOKED.has(b.status)) continue;
      let cur = DateTime.max(dt(b.startsAt), fromDt);
      const end = DateTime.min(dt(b.endsAt), toDt);
      while (cur < end) {
        const next = DateTime.min(cur.startOf('hour').plus({ hours: 1 }), end);
        grid[cur.weekday - 1][cur.hour] += next.diff(cur, 'minutes').minutes;
        cur = next;
      }
    }
    const weeks = Math.max(1, toDt.diff(fromDt, 'weeks').weeks);
    return grid.map((row) => row.map((m) => m / 60 / weeks));
  }, [key]);

  const csvQuery = vars ? `from=${encodeURIComponent(vars.from)}&to=${encodeURIComponent(vars.to)}&granularity=${granularity}` : '';
  const [csvError, setCsvError] = useState<unknown>(null);

  // Occupancy chart data.
  const rows = occupancy.data ?? [];
  const periods = [...new Set(rows.map((r) => r.periodStart))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const resources = [...new Map(rows.map((r) => [r.resource.id, r.resource.name])).entries()];
  const series = resources.map(([id, name], i) => ({
    label: name,
    color: PALETTE[i % PALETTE.length],
    values: periods.map((p) => rows.find((r) => r.resource.id === id && r.periodStart === p)?.occupancyRate ?? 0),
  }));
  const totals = resources.map(([id, name]) => {
    const rs = rows.filter((r) => r.resource.id === id);
    const sum = (f: (r: OccupancyRow) => number) => rs.reduce((s, r) => s + f(r), 0);
    const open = sum((r) => r.openMinutes);
    return {
      id,
      name,
      open,
      booked: sum((r) => r.bookedMinutes),
      used: sum((r) => r.usedMinutes),
      bookings: sum((r) => r.bookings),
      noShows: sum((r) => r.noShows),
      cancellations: sum((r) => r.cancellations),
      occupancy: open ? sum((r) => r.bookedMinutes) / open : 0,
      utilization: open ? sum((r) => r.usedMinutes) / open : 0,
    };
  });

  const heatHours = (() => {
    const g = heat.data;
    let a = 8;
    let b = 22;
    if (g) for (let h = 0; h < 24; h++) if (g.some((row) => row[h] > 0)) { a = Math.min(a, h); b = Math.max(b, h + 1); }
    return Array.from({ length: b - a }, (_, i) => a + i);
  })();

  const att = attendance.data ?? [];

  return (
    <section class="page city">
      <PageTitle icon="chart">{t('city.title')}</PageTitle>
      <p class="lead">{t('city.intro')}</p>

      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="city-from">{t('city.from')}</label>
          <input id="city-from" type="date" value={from} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} data-testid="city-from" />
        </div>
        <div class="field">
          <label for="city-to">{t('city.to')}</label>
          <input id="city-to" type="date" value={to} onChange={(e) => setTo((e.currentTarget as HTMLInputElement).value)} data-testid="city-to" />
        </div>
        <div class="field">
          <label for="city-gran">{t('city.granularity')}</label>
          <select id="city-gran" value={granularity} onChange={(e) => setGranularity((e.currentTarget as HTMLSelectElement).value as Granularity)} data-testid="city-granularity">
            {(['DAY', 'WEEK', 'MONTH'] as Granularity[]).map((g) => (
              <option key={g} value={g}>
                {t(`granularity.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {!valid && <p class="msg msg-warn">{t('city.badPeriod')}</p>}

      <div class="csv-links">
        <a
          class="btn btn-secondary"
          href={`/reports/occupancy.csv?${csvQuery}`}
          data-testid="csv-occupancy"
          onClick={(e) => {
            e.preventDefault();
            setCsvError(null);
            downloadWithToken(`/reports/occupancy.csv?${csvQuery}`, `occupancy-${from}-${to}.csv`).catch(setCsvError);
          }}
        >
          <Icon name="download" />
          <span>{t('city.csvOccupancy')}</span>
        </a>
        <a
          class="btn btn-secondary"
          href={`/reports/attendance.csv?${csvQuery}`}
          data-testid="csv-attendance"
          onClick={(e) => {
            e.preventDefault();
            setCsvError(null);
            downloadWithToken(`/reports/attendance.csv?${csvQuery}`, `attendance-${from}-${to}.csv`).catch(setCsvError);
          }}
        >
          <Icon name="download" />
          <span>{t('city.csvAttendance')}</span>
        </a>
      </div>
      <ErrorBox error={csvError} />

      <section class="card" aria-labelledby="occ-h" data-testid="occupancy-chart">
        <h2 id="occ-h">{t('city.occupancy')}</h2>
        <p class="hint">{t('city.occupancyHint')}</p>
        {occupancy.error ? <ErrorBox error={occupancy.error} /> : null}
        {occupancy.loading && !occupancy.data && <Spinner />}
        {occupancy.data && rows.length === 0 && <p class="empty">{t('city.noData')}</p>}
        {rows.length > 0 && (
          <>
            <ColumnChart labels={periods.map((p) => periodLabel(p, granularity))} series={series} label={t('city.occupancy')} format={pct} />
            <div class="table-scroll">
              <table class="data-table" data-testid="occupancy-table">
                <thead>
                  <tr>
                    <th scope="col">{t('city.col.resource')}</th>
                    <th scope="col">{t('city.col.open')}</th>
                    <th scope="col">{t('city.col.booked')}</th>
                    <th scope="col">{t('city.col.occupancy')}</th>
                    <th scope="col">{t('city.col.utilization')}</th>
                    <th scope="col">{t('city.col.bookings')}</th>
                    <th scope="col">{t('city.col.noShows')}</th>
                    <th scope="col">{t('city.col.cancellations')}</th>
                  </tr>
                </thead>
                <tbody>
                  {totals.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.name}</th>
                      <td>{fmtUnit(Math.round(r.open / 60), 'hour', 'short')}</td>
                      <td>{fmtUnit(Math.round(r.booked / 60), 'hour', 'short')}</td>
                      <td>{pct(r.occupancy)}</td>
                      <td>{pct(r.utilization)}</td>
                      <td>{fmtNumber(r.bookings)}</td>
                      <td>{fmtNumber(r.noShows)}</td>
                      <td>{fmtNumber(r.cancellations)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="heat-h" data-testid="heatmap">
        <h2 id="heat-h">{t('city.heatmap')}</h2>
        <p class="hint">{t('city.heatmapHint')}</p>
        {heat.error ? <ErrorBox error={heat.error} /> : null}
        {heat.loading && !heat.data && <Spinner />}
        {heat.data && (
          <Heatmap
            rows={weekdayNames()}
            cols={heatHours.map((h) => String(h))}
            values={heat.data.map((row) => heatHours.map((h) => row[h]))}
            label={t('city.heatmap')}
            format={(v) => fmtUnit(Math.round(v * 10) / 10, 'hour', 'short')}
          />
        )}
      </section>

      <section class="card" aria-labelledby="att-h" data-testid="attendance-chart">
        <h2 id="att-h">{t('city.attendance')}</h2>
        <p class="hint">{t('city.attendanceHint')}</p>
        {attendance.error ? <ErrorBox error={attendance.error} /> : null}
        {attendance.loading && !attendance.data && <Spinner />}
        {attendance.data && att.length === 0 && <p class="empty">{t('city.noData')}</p>}
        {att.length > 0 && (
          <LineChart
            labels={att.map((a) => periodLabel(a.periodStart, granularity))}
            label={t('city.attendance')}
            series={[
              { label: t('city.visitors'), color: '#1d4f91', values: att.map((a) => a.uniqueVisitors) },
              { label: t('city.entries'), color: '#8a3b12', values: att.map((a) => a.entries), dashed: true },
            ]}
          />
        )}
      </section>
    </section>
  );
}
