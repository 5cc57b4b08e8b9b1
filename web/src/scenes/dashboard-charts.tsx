// Hit charts of the dashboard, hand-written SVG (no chart library): hits per hour for all rules together,
// then one row of small bars per rule or per host on one shared scale, so rows compare honestly. Keys
// (host names above all) are log content: shown through <Hostile/>; SVG gets numbers and our own labels only.
import type { DashboardSeries } from '../api-types.ts';
import { Hostile } from '../components/hostile.tsx';

const pad = (n: number): string => String(n).padStart(2, '0');
const hourLabel = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:00`;
};

interface Span {
  /** ISO start of the first bucket. */
  readonly from: string;
  readonly bucketSeconds: number;
}

const bucketStart = (span: Span, i: number): number => Date.parse(span.from) + i * span.bucketSeconds * 1000;

/** Bars for one row of counts; `max` is the scale shared by the rows of a chart. */
const Bars = ({ counts, max, height, span, label }: { counts: readonly number[]; max: number; height: number; span: Span; label: string }) => {
  const w = 10;
  const gap = 2;
  const width = counts.length * w;
  return (
    <svg className="bars" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height} role="img" aria-label={label}>
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="baseline" />
      {counts.map((n, i) => {
        if (n === 0) return null;
        const h = Math.max(2, (n / Math.max(1, max)) * (height - 2));
        return (
          <rect key={i} x={i * w + gap / 2} y={height - h} width={w - gap} height={h} className="bar">
            <title>{`${hourLabel(bucketStart(span, i))}: ${n} ${n === 1 ? 'hit' : 'hits'}`}</title>
          </rect>
        );
      })}
    </svg>
  );
};

/** Hour marks under a chart: the start, the middle and "now". */
const Axis = ({ span, buckets }: { span: Span; buckets: number }) => (
  <div className="chart-axis" aria-hidden="true">
    <span>{hourLabel(bucketStart(span, 0))}</span>
    {buckets > 2 && <span>{hourLabel(bucketStart(span, Math.floor(buckets / 2)))}</span>}
    <span>now</span>
  </div>
);

/** All hits per hour (the rows of `series` added up), with the peak written beside it. */
export const TotalChart = ({ series, span, hours }: { series: readonly DashboardSeries[]; span: Span; hours: number }) => {
  const total = Array.from({ length: hours }, (_, i) => series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  const peak = Math.max(0, ...total);
  const all = total.reduce((a, b) => a + b, 0);
  return (
    <div className="total-chart" data-testid="chart-total" data-total={all}>
      <div className="chart-head">
        <span>
          <strong>{all}</strong> rule {all === 1 ? 'hit' : 'hits'} in {hours} h
        </span>
        <span className="muted small">peak {peak} per hour</span>
      </div>
      <Bars counts={total} max={peak} height={64} span={span} label={`rule hits per hour over the last ${hours} hours, ${all} in all`} />
      <Axis span={span} buckets={hours} />
    </div>
  );
};

/** One row per key: its name, its bars on the chart's shared scale, its total. */
export const SeriesChart = ({ title, series, span, hours, testId, empty }: { title: string; series: readonly DashboardSeries[]; span: Span; hours: number; testId: string; empty: string }) => {
  const max = Math.max(0, ...series.flatMap((s) => s.counts));
  return (
    <section className="panel chart" data-testid={testId}>
      <h2>{title}</h2>
      {series.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <table className="series-table">
            <tbody>
              {series.map((s) => (
                <tr key={s.key} data-testid={`${testId}-row`} data-total={s.total}>
                  <th scope="row" className="series-key">
                    {s.title !== undefined && s.title !== s.key ? (
                      <>
                        <span className="series-title">{s.title}</span> <Hostile text={s.key} className="muted small mono" />
                      </>
                    ) : (
                      <Hostile text={s.key} className="mono" max={80} />
                    )}
                  </th>
                  <td className="series-bars">
                    <Bars counts={s.counts} max={max} height={22} span={span} label={`${s.total} hits over the last ${hours} hours`} />
                  </td>
                  <td className="series-total">{s.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="series-axis">
            <Axis span={span} buckets={hours} />
          </div>
        </>
      )}
    </section>
  );
};
