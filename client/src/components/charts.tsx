// Small inline SVG charts. Each has a text alternative (a table or the numbers in words).
import { useWidth } from '../hooks';
import { fmtNumber } from '../time';

export interface Bar {
  label: string;
  value: number;
  color: string;
}

/** Horizontal bars with their numbers, e.g. a vote tally. */
export function BarChart({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const total = bars.reduce((s, b) => s + b.value, 0);
  return (
    <figure class="chart barchart" aria-label={label}>
      <ul>
        {bars.map((b) => (
          <li key={b.label}>
            <span class="bar-label">{b.label}</span>
            <span class="bar-track">
              <span class="bar-fill" style={{ width: `${(b.value / max) * 100}%`, background: b.color }} />
            </span>
            <span class="bar-value">
              {fmtNumber(b.value)}
              {total > 0 && <small> ({fmtNumber(b.value / total, { style: 'percent' })})</small>}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export interface Series {
  label: string;
  color: string;
  values: number[];
  dashed?: boolean;
}

/** A line chart over labelled points (attendance over days or weeks). */
export function LineChart({ labels, series, label, height = 220 }: { labels: string[]; series: Series[]; label: string; height?: number }) {
  const [ref, W] = useWidth<HTMLElement>();
  const H = height;
  const padL = 44;
  const padB = 28;
  const padT = 12;
  const padR = 28;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const n = Math.max(1, labels.length - 1);
  const x = (i: number) => padL + ((W - padL - padR) * i) / n;
  const y = (v: number) => H - padB - ((H - padB - padT) * v) / max;
  const ticks = [0, max / 2, max].map((v) => Math.round(v));
  const every = Math.max(1, Math.ceil(labels.length / Math.max(2, Math.floor((W - padL) / 70))));
  return (
    <figure class="chart" dir="ltr" ref={ref}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} class="chart-svg">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} class="grid" />
            <text x={padL - 6} y={y(v) + 4} text-anchor="end" class="axis">
              {fmtNumber(v)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={i} x={x(i)} y={H - 8} text-anchor="middle" class="axis">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <g key={s.label}>
            <polyline
              fill="none"
              stroke={s.color}
              stroke-width="3"
              stroke-dasharray={s.dashed ? '6 4' : undefined}
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
            {s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r="3.5" fill={s.color}>
                <title>
                  {labels[i]}: {fmtNumber(v)}
                </title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption class="chart-legend">
        {series.map((s) => (
          <span key={s.label}>
            <span class={`swatch${s.dashed ? ' dashed' : ''}`} style={{ background: s.color }} aria-hidden="true" /> <bdi>{s.label}</bdi>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** A round upper bound for a percentage axis: 10 %, 20 %, 25 %, 50 % or 100 %. */
export function niceRateMax(values: number[]): number {
  const top = Math.max(0, ...values);
  return [0.1, 0.2, 0.25, 0.5].find((m) => top <= m) ?? Math.max(1, Math.ceil(top * 4) / 4);
}

/** Columns, one group per period, one column per series; scrolls sideways when the groups do not fit. */
export function ColumnChart({ labels, series, label, max = 1, format }: { labels: string[]; series: Series[]; label: string; max?: number; format: (v: number) => string }) {
  const [ref, box] = useWidth<HTMLDivElement>();
  const H = 220;
  const padL = 12 + 8 * Math.max(...[0, max / 2, max].map((v) => format(v).length));
  const padB = 28;
  const padT = 10;
  const n = Math.max(1, labels.length);
  const minGroup = Math.max(14, series.length * 4 + 6);
  const W = Math.max(box, padL + 8 + n * minGroup);
  const groupW = (W - padL - 8) / n;
  const barW = Math.max(2, (groupW - 6) / Math.max(1, series.length));
  const y = (v: number) => H - padB - ((H - padB - padT) * Math.min(v, max)) / max;
  const every = Math.max(1, Math.ceil(labels.length / Math.max(2, Math.floor((W - padL) / 70))));
  return (
    <figure class="chart">
      <div class="chart-scroll" dir="ltr" ref={ref} tabIndex={W > box ? 0 : undefined} aria-label={W > box ? label : undefined}>
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} class="chart-svg">
          {[0, max / 2, max].map((v) => (
            <g key={v}>
              <line x1={padL} x2={W - 8} y1={y(v)} y2={y(v)} class="grid" />
              <text x={padL - 6} y={y(v) + 4} text-anchor="end" class="axis">
                {format(v)}
              </text>
            </g>
          ))}
          {labels.map((l, i) => (
            <g key={i}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                // A bar too small to see still shows a hairline, so that "a little" differs from "none".
                const top = v > 0 ? Math.min(y(v), H - padB - 2) : y(0);
                return (
                  <rect key={j} x={padL + i * groupW + 3 + j * barW} y={top} width={Math.max(1, barW - 1)} height={H - padB - top} fill={s.color}>
                    <title>
                      {s.label}, {l}: {format(v)}
                    </title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={padL + i * groupW + groupW / 2} y={H - 8} text-anchor="middle" class="axis">
                  {l}
                </text>
              )}
            </g>
          ))}
        </svg>
      </div>
      <figcaption class="chart-legend">
        {series.map((s) => (
          <span key={s.label}>
            <span class="swatch" style={{ background: s.color }} aria-hidden="true" /> <bdi>{s.label}</bdi>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

const heat = (a: number) => `rgba(29, 79, 145, ${0.08 + a * 0.92})`;

/** Weekday x hour grid of values; darker is more. */
export function Heatmap({ rows, cols, values, label, format, legend }: { rows: string[]; cols: string[]; values: number[][]; label: string; format: (v: number) => string; legend?: string }) {
  const top = Math.max(0, ...values.flat());
  const max = Math.max(0.0001, top);
  return (
    <figure class="chart heatmap" aria-label={label}>
      <div class="heatmap-scroll">
        <table>
          <thead>
            <tr>
              <th />
              {cols.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r}>
                <th scope="row">{r}</th>
                {cols.map((c, j) => {
                  const v = values[i]?.[j] ?? 0;
                  const a = v / max;
                  return (
                    <td
                      key={c}
                      title={`${r} ${c}: ${format(v)}`}
                      data-value={v > 0 ? String(Math.round(v * 100) / 100) : undefined}
                      style={{ background: v > 0 ? heat(a) : undefined, color: a > 0.5 ? '#fff' : undefined }}
                    >
                      <span class="sr-only">{format(v)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {top > 0 && (
        <figcaption class="heat-legend">
          {legend && <span>{legend}</span>}
          <span>{format(0)}</span>
          {[0.1, 0.35, 0.6, 0.85, 1].map((a) => (
            <span key={a} class="heat-swatch" style={{ background: heat(a) }} aria-hidden="true" />
          ))}
          <span>{format(top)}</span>
        </figcaption>
      )}
    </figure>
  );
}
