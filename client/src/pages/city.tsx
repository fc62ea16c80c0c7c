import { useState } from 'preact/hooks';
import { downloadWithToken, gql } from '../api';
import { ColumnChart, Heatmap, LineChart, niceRateMax } from '../components/charts';
import { ErrorBox, PageTitle, Spinner } from '../components/ui';
import { PALETTE } from '../colors';
import { useLoad } from '../hooks';
import { NAMES, byLocalName, localName, t } from '../i18n';
import { Icon } from '../icons';
import { DateTime, ZONE, dt, fmtNumber, fmtUnit, now, toApi, weekdayNames, weekStart, fmt } from '../time';
import type { NamedThing } from '../types';

type Granularity = 'DAY' | 'WEEK' | 'MONTH';

interface OccupancyRow {
  resource: NamedThing;
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

/** The statuses bookedMinutes counts (DESIGN.md, City audit); PENDING and CANCELLED are left out. */
const BOOKED = new Set(['CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW']);
/** The bookings query answers at most 366 days at once; longer periods are asked in pieces. */
const BOOKINGS_CHUNK_DAYS = 365;

function periodLabel(iso: string, g: Granularity): string {
  const d = dt(iso);
  if (g === 'MONTH') return fmt(d, { month: 'short', year: '2-digit' });
  return fmt(d, { day: 'numeric', month: 'short' });
}

const pct = (v: number) => fmtNumber(v, { style: 'percent', maximumFractionDigits: v > 0 && v < 0.1 ? 1 : 0 });
const hoursOf = (minutes: number, display: 'short' | 'long' = 'short') => fmtUnit(Math.round(minutes / 6) / 10, 'hour', display);

/**
 * Booked hours by local weekday and hour, averaged per week of the period: every booking the
 * occupancy counts (CONFIRMED, CHECKED_IN, COMPLETED, NO_SHOW) is cut into its local clock hours.
 * The occupancy rows are per day at best, so the hours come from the bookings themselves
 * (an auditor reads them without bookedBy).
 */
async function loadHeat(from: DateTime, to: DateTime, resourceIds: string[] | null): Promise<number[][]> {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (let a = from; a < to; a = a.plus({ days: BOOKINGS_CHUNK_DAYS })) {
    const b = DateTime.min(a.plus({ days: BOOKINGS_CHUNK_DAYS }), to);
    const d = await gql<{ bookings: { id: string; startsAt: string; endsAt: string; status: string }[] }>(
      'query HeatBookings($from: DateTime!, $to: DateTime!, $resourceIds: [ID!]) { bookings(from: $from, to: $to, resourceIds: $resourceIds) { id startsAt endsAt status } }',
      { from: toApi(a), to: toApi(b), resourceIds },
    );
    for (const bk of d.bookings) {
      if (!BOOKED.has(bk.status)) continue;
      // A booking across two pieces is cut at the seam: each piece counts only its own part.
      let cur = DateTime.max(dt(bk.startsAt), a);
      const end = DateTime.min(dt(bk.endsAt), b);
      while (cur < end) {
        const next = DateTime.min(cur.startOf('hour').plus({ hours: 1 }), end);
        grid[cur.weekday - 1][cur.hour] += next.diff(cur, 'minutes').minutes;
        cur = next;
      }
    }
  }
  const weeks = Math.max(1, to.diff(from, 'days').days / 7);
  return grid.map((row) => row.map((m) => m / 60 / weeks));
}

/**
 * The City's staff open the files in Excel on Belgian computers, which want semicolons and a
 * byte-order mark (the server's excel dialect); programs want the standard CSV. Chosen once.
 */
type CsvDialect = 'excel' | 'rfc4180';
const DIALECT_KEY = 'tl.csvDialect';

function savedDialect(): CsvDialect {
  try {
    return localStorage.getItem(DIALECT_KEY) === 'rfc4180' ? 'rfc4180' : 'excel';
  } catch {
    return 'excel';
  }
}

function saveDialect(dialect: CsvDialect): CsvDialect {
  try {
    localStorage.setItem(DIALECT_KEY, dialect);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  return dialect;
}

export function CityPage() {
  const start = weekStart(now());
  const [from, setFrom] = useState(start.minus({ weeks: 7 }).toISODate()!);
  const [to, setTo] = useState(start.plus({ days: 6 }).toISODate()!);
  const [granularity, setGranularity] = useState<Granularity>('WEEK');
  const [resourceId, setResourceId] = useState('');
  const [dialect, setDialect] = useState<CsvDialect>(savedDialect);

  const resourceList = useLoad(() => gql<{ resources: NamedThing[] }>(`query CityResources { resources { id name ${NAMES} } }`).then((d) => d.resources), []);

  const fromDt = DateTime.fromISO(from, { zone: ZONE }).startOf('day');
  const toDt = DateTime.fromISO(to, { zone: ZONE }).startOf('day').plus({ days: 1 });
  const ordered = fromDt.isValid && toDt.isValid && toDt > fromDt;
  const tooLong = ordered && toDt.diff(fromDt, 'days').days > 731; // the reports cover at most 732 days
  const valid = ordered && !tooLong;
  const resourceIds = resourceId ? [resourceId] : null;
  const vars = valid ? { from: toApi(fromDt), to: toApi(toDt), granularity } : null;
  const key = JSON.stringify([vars, resourceIds]);

  const occupancy = useLoad(async () => {
    if (!vars) return [];
    const d = await gql<{ occupancy: OccupancyRow[] }>(
      `query Occupancy($from: DateTime!, $to: DateTime!, $granularity: Granularity!, $resourceIds: [ID!]) { occupancy(from: $from, to: $to, granularity: $granularity, resourceIds: $resourceIds) {
        resource { id name ${NAMES} } periodStart periodEnd openMinutes bookedMinutes usedMinutes bookings noShows cancellations distinctCollectives occupancyRate utilizationRate } }`,
      { ...vars, resourceIds },
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
  }, [JSON.stringify(vars)]);
  const heat = useLoad(() => (vars ? loadHeat(fromDt, toDt, resourceIds) : Promise.resolve(null)), [key]);

  const enc = encodeURIComponent;
  const csvBase = vars ? `from=${enc(vars.from)}&to=${enc(vars.to)}&granularity=${granularity}&dialect=${dialect}` : '';
  const csvOccupancy = `/reports/occupancy.csv?${csvBase}${resourceId ? `&resourceIds=${enc(resourceId)}` : ''}`;
  const csvAttendance = `/reports/attendance.csv?${csvBase}`;
  const [csvError, setCsvError] = useState<unknown>(null);
  const [csvBusy, setCsvBusy] = useState<string | null>(null);
  const download = (which: string, url: string, name: string) => (e: Event) => {
    e.preventDefault();
    if (!vars || csvBusy) return;
    setCsvError(null);
    setCsvBusy(which);
    downloadWithToken(url, name)
      .catch(setCsvError)
      .finally(() => setCsvBusy(null));
  };

  // Occupancy chart data.
  const rows = occupancy.data ?? [];
  const periods = [...new Set(rows.map((r) => r.periodStart))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const resources = [...new Map(rows.map((r) => [r.resource.id, localName(r.resource)])).entries()];
  const colorOf = (id: string) => {
    const i = (resourceList.data ?? []).findIndex((r) => r.id === id);
    return PALETTE[(i < 0 ? resources.findIndex(([rid]) => rid === id) : i) % PALETTE.length];
  };
  const series = resources.map(([id, name]) => ({
    label: name,
    color: colorOf(id),
    values: periods.map((p) => rows.find((r) => r.resource.id === id && r.periodStart === p)?.occupancyRate ?? 0),
  }));
  const rateMax = niceRateMax(series.flatMap((s) => s.values));
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
  const all = totals.reduce(
    (s, r) => ({ open: s.open + r.open, booked: s.booked + r.booked, bookings: s.bookings + r.bookings, noShows: s.noShows + r.noShows }),
    { open: 0, booked: 0, bookings: 0, noShows: 0 },
  );

  const heatHours = (() => {
    const g = heat.data;
    let a = 8;
    let b = 22;
    if (g) for (let h = 0; h < 24; h++) if (g.some((row) => row[h] > 0)) { a = Math.min(a, h); b = Math.max(b, h + 1); }
    return Array.from({ length: b - a }, (_, i) => a + i);
  })();

  const att = attendance.data ?? [];
  const noEntries = att.length > 0 && att.every((a) => a.entries === 0);

  return (
    <section class="page city">
      <PageTitle icon="chart">{t('city.title')}</PageTitle>
      <p class="lead">{t('city.intro')}</p>

      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="city-from">{t('city.from')}</label>
          <input id="city-from" type="date" value={from} max={to} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} data-testid="city-from" />
        </div>
        <div class="field">
          <label for="city-to">{t('city.to')}</label>
          <input id="city-to" type="date" value={to} min={from} onChange={(e) => setTo((e.currentTarget as HTMLInputElement).value)} data-testid="city-to" />
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
        <div class="field">
          <label for="city-resource">{t('city.resource')}</label>
          <select id="city-resource" value={resourceId} onChange={(e) => setResourceId((e.currentTarget as HTMLSelectElement).value)} data-testid="city-resource">
            <option value="">{t('city.allResources')}</option>
            {[...(resourceList.data ?? [])].sort(byLocalName).map((r) => (
              <option key={r.id} value={r.id}>
                {localName(r)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {!ordered && <p class="msg msg-warn">{t('city.badPeriod')}</p>}
      {tooLong && <p class="msg msg-warn">{t('city.tooLong')}</p>}

      <div class="csv-links">
        <div class="field csv-dialect">
          <label for="city-dialect">{t('city.csvDialect')}</label>
          <select id="city-dialect" value={dialect} onChange={(e) => setDialect(saveDialect((e.currentTarget as HTMLSelectElement).value as CsvDialect))} data-testid="csv-dialect">
            <option value="excel">{t('city.csvExcel')}</option>
            <option value="rfc4180">{t('city.csvStandard')}</option>
          </select>
        </div>
        <a class="btn btn-secondary" href={csvOccupancy} aria-disabled={!vars} aria-busy={csvBusy === 'occupancy'} data-testid="csv-occupancy" onClick={download('occupancy', csvOccupancy, `occupancy-${from}-${to}.csv`)}>
          <Icon name="download" />
          <span>{t('city.csvOccupancy')}</span>
        </a>
        <a class="btn btn-secondary" href={csvAttendance} aria-disabled={!vars} aria-busy={csvBusy === 'attendance'} data-testid="csv-attendance" onClick={download('attendance', csvAttendance, `attendance-${from}-${to}.csv`)}>
          <Icon name="download" />
          <span>{t('city.csvAttendance')}</span>
        </a>
      </div>
      <p class="hint csv-hint">{t('city.csvHint')}</p>
      <ErrorBox error={csvError} />

      <section class="card" aria-labelledby="occ-h" data-testid="occupancy-chart" aria-busy={occupancy.loading}>
        <h2 id="occ-h">{t('city.occupancy')}</h2>
        <p class="hint">{t('city.occupancyHint')}</p>
        {occupancy.error ? <ErrorBox error={occupancy.error} /> : null}
        {occupancy.loading && !occupancy.data && <Spinner />}
        {occupancy.data && rows.length === 0 && <p class="empty">{t('city.noData')}</p>}
        {rows.length > 0 && (
          <>
            <p class="city-summary" data-testid="occupancy-summary">
              {t('city.summary', { booked: hoursOf(all.booked, 'long'), open: hoursOf(all.open, 'long'), rate: pct(all.open ? all.booked / all.open : 0), bookings: fmtNumber(all.bookings), noShows: fmtNumber(all.noShows) })}
            </p>
            <ColumnChart labels={periods.map((p) => periodLabel(p, granularity))} series={series} label={t('city.occupancy')} format={pct} max={rateMax} />
            <p class="hint table-scroll-hint" data-testid="table-scroll-hint">
              {t('city.tableScrollHint')}
            </p>
            {/* Wider than a phone: the keyboard scrolls it too, once it has the focus. */}
            <div class="table-scroll" role="region" aria-label={t('city.occupancyTable')} tabIndex={0}>
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
                      <th scope="row">
                        <span class="swatch" style={{ background: colorOf(r.id) }} aria-hidden="true" /> <bdi>{r.name}</bdi>
                      </th>
                      <td>{hoursOf(r.open)}</td>
                      <td>{hoursOf(r.booked)}</td>
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

      <section class="card" aria-labelledby="heat-h" data-testid="heatmap" aria-busy={heat.loading}>
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
            legend={t('city.heatLegend')}
            format={(v) => fmtUnit(Math.round(v * 10) / 10, 'hour', 'short')}
          />
        )}
        {heat.data && heat.data.every((row) => row.every((v) => v === 0)) && <p class="empty">{t('city.noBookings')}</p>}
      </section>

      <section class="card" aria-labelledby="att-h" data-testid="attendance-chart" aria-busy={attendance.loading}>
        <h2 id="att-h">{t('city.attendance')}</h2>
        <p class="hint">{t('city.attendanceHint')}</p>
        {attendance.error ? <ErrorBox error={attendance.error} /> : null}
        {attendance.loading && !attendance.data && <Spinner />}
        {attendance.data && att.length === 0 && <p class="empty">{t('city.noData')}</p>}
        {noEntries && <p class="empty">{t('city.noEntries')}</p>}
        {att.length > 0 && !noEntries && (
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
