// `/wall`: the NOC wall display. Dark, large type, nothing to click: a few big numbers (open sessions,
// awaiting review, overdue, flagged, high-risk in the last hour), the latest five high-risk events, the age
// of the last checkpoint (red when the log grew and none was signed), alert delivery. It reconnects by
// itself (dashboard-live.tsx) and says plainly when it is not live. Log content goes through <Hostile/>.
import type { DashboardHit, RiskLevel } from '../api-types.ts';
import { Hostile } from '../components/hostile.tsx';
import { age, clock, duration } from '../lib/format.ts';
import { ago, failingRoutes, LinkStatus, serverAge } from './dashboard.tsx';
import { useDashboardLive, useNow } from './dashboard-live.tsx';
import '../styles/dashboard.css';

const LATEST = 5;

const Big = ({ label, value, tone, sub, testId }: { label: string; value: number; tone?: 'alarm' | 'warn' | undefined; sub?: string; testId: string }) => (
  <div className={`wall-tile ${tone ?? ''}`} data-testid={testId}>
    <div className="wall-number" data-testid={`${testId}-value`}>
      {value}
    </div>
    <div className="wall-label">{label}</div>
    {sub !== undefined && <div className="wall-sub">{sub}</div>}
  </div>
);

const WallHit = ({ hit, isLive, now }: { hit: DashboardHit; isLive: boolean; now: number }) => (
  <li className={`wall-hit level-${hit.level as RiskLevel} ${isLive ? 'is-live' : ''}`} data-testid="wall-hit" data-hit-id={hit.id} data-rule={hit.rule}>
    <div className="wall-hit-time">
      <span>{clock(hit.time).slice(0, 5)}</span>
      <span className="wall-hit-age">{ago(hit.time, now)}</span>
    </div>
    <div className="wall-hit-body">
      <div className="wall-hit-head">
        <span className={`wall-level level-${hit.level}`}>{hit.level}</span>
        <span className="wall-hit-title">{hit.title}</span>
      </div>
      <div className="wall-hit-who">
        <Hostile text={hit.user} empty="(unknown user)" max={60} /> <span className="at">@</span> <Hostile text={hit.host} max={60} />
        {hit.command !== null && (
          <>
            {' '}
            <code className="wall-hit-command">
              <Hostile text={hit.command} max={160} />
            </code>
          </>
        )}
      </div>
    </div>
  </li>
);

export const Wall = () => {
  const live = useDashboardLive({ hours: 24, maxHits: LATEST });
  const now = useNow(1000);
  const s = live.snapshot;
  const cp = s?.tlog.checkpoint ?? null;
  const cpAge = cp === null || s === null ? null : serverAge(cp.ageSeconds, live.snapshotAt, now);
  const failing = s === null ? 0 : failingRoutes(s.alerts);
  const pending = s?.alerts?.routes.reduce((n, r) => n + r.pending, 0) ?? 0;
  return (
    <div className={`wall link-${live.link}`} data-testid="wall">
      <header className="wall-top">
        <span className="wall-brand">Countersign</span>
        <LinkStatus live={live} now={now} className="wall-link" />
        <span className="wall-clock">{clock(new Date(now).toISOString())}</span>
      </header>
      {live.link === 'disconnected' && (
        <div className="wall-banner" data-testid="wall-disconnected" role="alert">
          Disconnected — retrying. {s !== null ? `These numbers are from ${age(Math.max(0, now - live.snapshotAt))}.` : ''}
        </div>
      )}
      {s === null ? (
        <div className="wall-waiting">{live.link === 'disconnected' ? 'Waiting for the server…' : 'Loading…'}</div>
      ) : (
        <>
          <section className="wall-tiles">
            <Big label="open sessions" value={s.openSessions.count} testId="wall-open" />
            <Big
              label="awaiting review"
              value={s.review.awaiting}
              tone={s.review.awaiting > 0 ? 'warn' : undefined}
              testId="wall-awaiting"
              {...(s.review.oldest !== null ? { sub: `oldest waits ${duration(serverAge(s.review.oldest.waitingSeconds, live.snapshotAt, now))}` } : {})}
            />
            <Big label="overdue" value={s.review.overdue} tone={s.review.overdue > 0 ? 'alarm' : undefined} testId="wall-overdue" />
            <Big label="flagged" value={s.review.flagged} tone={s.review.flagged > 0 ? 'warn' : undefined} testId="wall-flagged" />
            <Big label="high-risk · last hour" value={s.highRisk.lastHour} tone={s.highRisk.lastHour > 0 ? 'alarm' : undefined} testId="wall-highrisk" sub={`${s.highRisk.last24h} in 24 h`} />
          </section>
          <section className="wall-events">
            <h2>Latest high-risk events</h2>
            {live.hits.length === 0 ? (
              <p className="wall-quiet">None in the last 24 hours.</p>
            ) : (
              <ol>
                {live.hits.slice(0, LATEST).map((h) => (
                  <WallHit key={h.id} hit={h} isLive={live.liveIds.has(h.id)} now={now} />
                ))}
              </ol>
            )}
          </section>
          <footer className="wall-foot">
            <span className={`wall-fact ${cp?.stale === true || (cp === null && s.tlog.treeSize > 0) ? 'alarm' : ''}`} data-testid="wall-checkpoint" data-stale={cp?.stale === true}>
              last checkpoint {cpAge === null ? 'none yet' : age(cpAge)}
              {cp !== null && cp.unsigned > 0 ? ` · ${cp.unsigned} entries unsigned` : ''}
            </span>
            <span className={`wall-fact ${failing > 0 ? 'alarm' : pending > 0 ? 'warn' : ''}`} data-testid="wall-alerts">
              {s.alerts === null || s.alerts.routes.length === 0
                ? 'alerts: no routes configured'
                : failing > 0
                  ? `alerts: ${failing} ${failing === 1 ? 'route' : 'routes'} failing, ${pending} pending`
                  : pending > 0
                    ? `alerts: ${pending} pending`
                    : 'alerts: all delivered'}
            </span>
            {s.derive.lagRecords > 0 && <span className={`wall-fact ${s.derive.lagRecords > 1000 ? 'warn' : ''}`}>sessions {s.derive.lagRecords} records behind</span>}
          </footer>
        </>
      )}
    </div>
  );
};
