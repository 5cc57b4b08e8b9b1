// `/dashboard`: what is happening now, live. High-risk events as they are stored (newest first, each to its
// session), open sessions, the review backlog and its oldest item, flagged sessions, hits per rule and per
// host over time, alert delivery and the tlog's last checkpoint. Commands, hosts and users are log content:
// <Hostile/> only. `?hours=` sets the span of the charts.
import type { ReactNode } from 'react';
import type { AlertRouteHealth, DashboardHit, DashboardSession, DashboardSnapshot, DashboardWaiting, RiskLevel } from '../api-types.ts';
import { OverdueMark, RiskBadge } from '../components/badges.tsx';
import { Hostile } from '../components/hostile.tsx';
import { Link } from '../components/link.tsx';
import { age, clock, dateTime, duration } from '../lib/format.ts';
import { navigate, sessionPath, useLocation } from '../router.ts';
import { SeriesChart, TotalChart } from './dashboard-charts.tsx';
import { useDashboardLive, useNow, type LiveDashboard } from './dashboard-live.tsx';
import '../styles/dashboard.css';

const MAX_HITS = 100;
const HOUR_CHOICES = [6, 24, 72, 168] as const;

const hoursFrom = (search: URLSearchParams): number => {
  const h = Number(search.get('hours'));
  return Number.isInteger(h) && h >= 1 && h <= 168 ? h : 24;
};

/** "alice @ web-1": who and where, both log content. */
export const WhoWhere = ({ user, host }: { user: string | null; host: string }) => (
  <span className="who-where">
    <Hostile text={user} empty="(unknown user)" className="who" max={120} />
    <span className="at"> @ </span>
    <Hostile text={host} className="host" max={120} />
  </span>
);

/** live / connecting / disconnected — retrying, with when the next attempt is. */
export const LinkStatus = ({ live, now, className }: { live: LiveDashboard; now: number; className?: string }) => {
  const { link, retryAt, lastDataAt } = live;
  const text =
    link === 'live'
      ? 'live'
      : link === 'connecting'
        ? 'connecting…'
        : `disconnected — retrying${retryAt !== null && retryAt > now ? ` in ${Math.ceil((retryAt - now) / 1000)} s` : ''}`;
  return (
    <span className={`link-status link-${link} ${className ?? ''}`} data-testid="link-status" data-state={link} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
      {link === 'disconnected' && <span className="since"> · last data {age(Math.max(0, now - lastDataAt))}</span>}
    </span>
  );
};

/** "3 min ago" for a server time; never "in 1 s" when the data came in between two ticks of the page's clock. */
export const ago = (iso: string, now: number): string => age(Math.max(0, now - Date.parse(iso)));

/**
 * Routes in trouble now: alerts given up, or deliveries failing since the last success (still retrying).
 * Counting only given-up alerts would show green while a route fails over and over.
 */
export const failingRoutes = (alerts: DashboardSnapshot['alerts']): number =>
  (alerts?.routes ?? []).filter((r) => r.failed > 0 || (r.pending > 0 && r.lastErrorAt !== null && (r.lastDeliveredAt === null || r.lastErrorAt > r.lastDeliveredAt))).length;

/** An age that keeps moving between snapshots: the server's, plus the time since the snapshot came. */
export const serverAge = (seconds: number, snapshotAt: number, now: number): number => seconds * 1000 + Math.max(0, now - snapshotAt);

const Tile = ({ label, value, sub, tone, testId }: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'alarm' | 'warn' | 'ok'; testId: string }) => (
  <div className={`tile ${tone ?? ''}`} data-testid={testId}>
    <div className="tile-label">{label}</div>
    <div className={`tile-value ${typeof value === 'string' && value.length > 4 ? 'is-text' : ''}`} data-testid={`${testId}-value`}>
      {value}
    </div>
    {sub !== undefined && <div className="tile-sub">{sub}</div>}
  </div>
);

const HitRow = ({ hit, isLive, now }: { hit: DashboardHit; isLive: boolean; now: number }) => (
  <li className={`hit-row level-${hit.level} ${isLive ? 'is-live' : ''}`} data-testid="dashboard-hit" data-hit-id={hit.id} data-rule={hit.rule} data-live={isLive}>
    <div className="hit-when" title={dateTime(hit.time)}>
      <span className="hit-clock">{clock(hit.time)}</span>
      <span className="muted small">{ago(hit.time, now)}</span>
    </div>
    <div className="hit-what">
      <div className="hit-head">
        <RiskBadge level={hit.level as RiskLevel} />
        <span className="hit-title">{hit.title}</span>
        <WhoWhere user={hit.user} host={hit.host} />
        {isLive && <span className="new-mark">new</span>}
      </div>
      {hit.command !== null && (
        <code className="hit-command">
          <Hostile text={hit.command} max={300} />
        </code>
      )}
    </div>
    <div className="hit-link">
      {hit.sessionId !== null ? (
        <Link to={sessionPath(hit.sessionId)} testId="dashboard-hit-session">
          session {hit.sessionId} →
        </Link>
      ) : (
        <span className="muted small" title="This event belongs to no session (a device restart, a commit nobody logged in for)">
          no session
        </span>
      )}
    </div>
  </li>
);

const SessionLine = ({ s, now, extra }: { s: DashboardSession; now: number; extra?: ReactNode }) => (
  <li className="session-line" data-testid="dashboard-session" data-session-id={s.id}>
    <Link to={sessionPath(s.id)} className="session-link">
      <WhoWhere user={s.user} host={s.host} />
    </Link>
    <span className="muted small">
      {s.origin !== null && (
        <>
          from <Hostile text={s.origin} max={80} />{' '}
        </>
      )}
      since {clock(s.startedAt)} ({ago(s.startedAt, now)})
    </span>
    <RiskBadge level={s.risk.level as RiskLevel} score={s.risk.score} />
    {extra}
  </li>
);

const Waiting = ({ w, now, snapshotAt }: { w: DashboardWaiting; now: number; snapshotAt: number }) => (
  <SessionLine
    s={w}
    now={now}
    extra={
      <span className="small">
        waiting {duration(serverAge(w.waitingSeconds, snapshotAt, now))}
        {w.overdue && <OverdueMark />}
      </span>
    }
  />
);

const AlertHealth = ({ alerts, now }: { alerts: DashboardSnapshot['alerts']; now: number }) => {
  if (alerts === null) return <p className="muted" data-testid="alerts-none">Alert delivery is not set up on this server (no alert routes are configured).</p>;
  if (alerts.routes.length === 0) return <p className="muted" data-testid="alerts-none">No alert routes are configured.</p>;
  return (
    <table className="alert-table" data-testid="alerts-table">
      <thead>
        <tr>
          <th>Route</th>
          <th>Delivered</th>
          <th>Pending</th>
          <th>Failed</th>
          <th>Last delivered</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {alerts.routes.map((r: AlertRouteHealth) => (
          <tr key={r.route} className={r.failed > 0 ? 'has-failed' : r.pending > 0 ? 'has-pending' : ''} data-testid="alerts-route">
            <td>
              <Hostile text={r.route} /> <span className="muted small">{r.sink ?? 'no longer configured'}</span>
            </td>
            <td className="num">{r.delivered}</td>
            <td className="num" title={r.oldestPendingAt !== null ? `oldest waiting since ${dateTime(r.oldestPendingAt)}` : undefined}>
              {r.pending}
              {r.held > 0 && <span className="muted small"> ({r.held} held by the rate limit)</span>}
              {r.oldestPendingAt !== null && <div className="muted small">oldest {ago(r.oldestPendingAt, now)}</div>}
            </td>
            <td className="num">{r.failed}</td>
            <td className="small">{r.lastDeliveredAt === null ? <span className="muted">never</span> : ago(r.lastDeliveredAt, now)}</td>
            <td>
              {r.lastError === null ? (
                <span className="muted">—</span>
              ) : (
                <>
                  <Hostile text={r.lastError} max={300} /> <span className="muted small">{r.lastErrorAt !== null ? dateTime(r.lastErrorAt) : ''}</span>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const Dashboard = () => {
  const { search } = useLocation();
  const hours = hoursFrom(search);
  const live = useDashboardLive({ hours, maxHits: MAX_HITS });
  const now = useNow(1000);
  const s = live.snapshot;

  const head = (
    <div className="dashboard-head">
      <h1>Dashboard</h1>
      <LinkStatus live={live} now={now} />
      {s !== null && live.link === 'live' && <span className="muted small">updated {age(Math.max(0, now - live.lastDataAt))}</span>}
      <span className="dashboard-head-right">
        <label className="small muted">
          charts over{' '}
          <select value={hours} onChange={(e) => navigate(`/dashboard?hours=${encodeURIComponent(e.target.value)}`, { replace: true })} data-testid="dashboard-hours">
            {HOUR_CHOICES.map((h) => (
              <option key={h} value={h}>
                {h < 48 ? `${h} hours` : `${h / 24} days`}
              </option>
            ))}
          </select>
        </label>
        <Link to="/wall" testId="dashboard-to-wall">
          Wall display
        </Link>
      </span>
    </div>
  );

  if (s === null) {
    return (
      <main className="page dashboard" data-testid="dashboard">
        {head}
        {live.error !== null ? <div className="notice error-notice">{live.error}</div> : <div className="loading-page">Loading…</div>}
      </main>
    );
  }

  const cp = s.tlog.checkpoint;
  const cpAge = cp === null ? null : serverAge(cp.ageSeconds, live.snapshotAt, now);
  const failing = failingRoutes(s.alerts);
  const pending = s.alerts?.routes.reduce((n, r) => n + r.pending, 0) ?? 0;
  const givenUp = s.alerts?.routes.reduce((n, r) => n + r.failed, 0) ?? 0;
  return (
    <main className="page dashboard" data-testid="dashboard">
      {head}
      {live.link === 'disconnected' && live.error !== null && <div className="notice error-notice" data-testid="dashboard-error">{live.error}</div>}

      <div className="tiles">
        <Tile label="Open sessions" value={s.openSessions.count} testId="tile-open" />
        <Tile
          label="Awaiting review"
          value={s.review.awaiting}
          tone={s.review.awaiting > 0 ? 'warn' : undefined}
          testId="tile-awaiting"
          sub={s.review.oldest === null ? 'nothing waits' : <>oldest waits {duration(serverAge(s.review.oldest.waitingSeconds, live.snapshotAt, now))}</>}
        />
        <Tile label="Overdue reviews" value={s.review.overdue} tone={s.review.overdue > 0 ? 'alarm' : undefined} testId="tile-overdue" />
        <Tile label="Flagged" value={s.review.flagged} tone={s.review.flagged > 0 ? 'warn' : undefined} testId="tile-flagged" />
        <Tile label="High-risk, last hour" value={s.highRisk.lastHour} tone={s.highRisk.lastHour > 0 ? 'alarm' : undefined} testId="tile-highrisk" sub={`${s.highRisk.last24h} in 24 h`} />
        <Tile
          label="Last checkpoint"
          value={cpAge === null ? 'none' : age(cpAge)}
          tone={cp === null ? (s.tlog.treeSize > 0 ? 'warn' : undefined) : cp.stale ? 'alarm' : 'ok'}
          testId="tile-checkpoint"
          sub={cp === null ? `${s.tlog.treeSize} entries, none signed yet` : cp.unsigned > 0 ? `${cp.size} entries signed, ${cp.unsigned} waiting` : `all ${cp.size} entries signed`}
        />
        <Tile
          label="Derive lag"
          value={s.derive.lagRecords === 0 ? 'none' : `${s.derive.lagRecords}`}
          tone={s.derive.lagRecords > 1000 ? 'warn' : undefined}
          testId="tile-derive"
          sub={s.derive.lagRecords === 0 ? 'up to date' : 'records not yet in sessions'}
        />
        {s.alerts !== null && s.alerts.routes.length > 0 && (
          <Tile label="Alert routes failing" value={failing} tone={failing > 0 ? 'alarm' : 'ok'} testId="tile-alerts" sub={`${pending} pending, ${givenUp} given up`} />
        )}
      </div>

      <div className="dashboard-grid">
        <section className="panel stream-panel" data-testid="dashboard-stream">
          <h2>
            High-risk events <span className="muted small">({s.highRisk.levels.join(', ')}; newest first, live)</span>
          </h2>
          {live.skipped > 0 && <p className="notice small">{live.skipped} older events were missed while disconnected; the sessions list has them.</p>}
          {live.hits.length === 0 ? (
            <p className="empty" data-testid="dashboard-stream-empty">
              No high-risk events in the last 24 hours. New ones appear here as they are stored.
            </p>
          ) : (
            <ol className="hit-list">
              {live.hits.map((h) => (
                <HitRow key={h.id} hit={h} isLive={live.liveIds.has(h.id)} now={now} />
              ))}
            </ol>
          )}
        </section>

        <div className="side">
          <section className="panel" data-testid="dashboard-open">
            <h2>
              Open sessions <span className="count">{s.openSessions.count}</span>
            </h2>
            {s.openSessions.sessions.length === 0 ? (
              <p className="muted">Nobody is logged in anywhere we hear from.</p>
            ) : (
              <ul className="session-list">
                {s.openSessions.sessions.map((o) => (
                  <SessionLine key={o.id} s={o} now={now} />
                ))}
              </ul>
            )}
            {s.openSessions.count > s.openSessions.sessions.length && <p className="muted small">and {s.openSessions.count - s.openSessions.sessions.length} more</p>}
          </section>

          <section className="panel" data-testid="dashboard-review">
            <h2>
              Awaiting review <span className="count">{s.review.awaiting}</span>
              {s.review.overdue > 0 && <span className="overdue-count">{s.review.overdue} overdue</span>}
            </h2>
            {s.review.oldest === null ? (
              <p className="muted">Nothing waits for review.</p>
            ) : (
              <>
                <p className="small muted">Waiting longest:</p>
                <ul className="session-list">
                  <Waiting w={s.review.oldest} now={now} snapshotAt={live.snapshotAt} />
                </ul>
              </>
            )}
            <p className="small">
              <Link to="/?state=needs_review">Open the review queue →</Link>
            </p>
          </section>

          <section className="panel" data-testid="dashboard-flagged">
            <h2>
              Flagged <span className="count">{s.review.flagged}</span>
            </h2>
            {s.review.flaggedSessions.length === 0 ? (
              <p className="muted">No session is flagged for discussion.</p>
            ) : (
              <ul className="session-list">
                {s.review.flaggedSessions.map((f) => (
                  <Waiting key={f.id} w={f} now={now} snapshotAt={live.snapshotAt} />
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      <section className="panel">
        <h2>
          Rule hits over the last {s.hits.hours} hours <span className="muted small">(all levels, by the time of the event)</span>
        </h2>
        <TotalChart series={s.hits.byRule} span={s.hits} hours={s.hits.hours} />
      </section>
      <div className="chart-grid">
        <SeriesChart title="Hits per rule" series={s.hits.byRule} span={s.hits} hours={s.hits.hours} testId="chart-rules" empty="No rule hit in this span." />
        <SeriesChart title="Hits per host" series={s.hits.byHost} span={s.hits} hours={s.hits.hours} testId="chart-hosts" empty="No rule hit in this span." />
      </div>

      <div className="chart-grid">
        <section className="panel" data-testid="dashboard-alerts">
          <h2>Alert delivery</h2>
          <AlertHealth alerts={s.alerts} now={now} />
        </section>
        <section className="panel" data-testid="dashboard-tlog">
          <h2>Tamper-evident log</h2>
          <dl className="facts">
            <dt>Entries</dt>
            <dd>{s.tlog.treeSize}</dd>
            <dt>Last checkpoint</dt>
            <dd className={cp?.stale === true ? 'alarm-text' : ''} data-testid="checkpoint-age">
              {cp === null ? 'none yet' : `${age(cpAge ?? 0)} (${dateTime(cp.createdAt)}), ${cp.size} entries`}
              {cp?.stale === true && ' — overdue: the log grew and no checkpoint was signed'}
            </dd>
            <dt>Derived up to</dt>
            <dd>
              record {s.derive.cursor}
              {s.derive.lagRecords > 0 ? `, ${s.derive.lagRecords} behind` : ', up to date'}
            </dd>
          </dl>
        </section>
      </div>
    </main>
  );
};
