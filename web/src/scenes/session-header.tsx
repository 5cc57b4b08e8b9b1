// The top of a session page: who, from where, on which host and device type, how they authenticated,
// when and for how long, and how risky and why (the rule hits, each linking to its line).
import type { Review, Session, SessionEvent } from '../api-types.ts';
import { ChangedMark, OverdueMark, RiskBadge, StateBadge } from '../components/badges.tsx';
import { Hostile } from '../components/hostile.tsx';
import { between, dateTime, duration } from '../lib/format.ts';

const AuthLine = ({ session }: { session: Session }) => {
  const a = session.auth;
  if (a === null) return <span className="muted">not logged</span>;
  return (
    <span data-testid="session-auth">
      <Hostile text={a.method} />
      {a.keyType !== undefined && (
        <>
          {' '}
          <Hostile text={a.keyType} />
        </>
      )}
      {a.fingerprint !== undefined && (
        <>
          {' '}
          <code className="fingerprint">
            <Hostile text={a.fingerprint} />
          </code>
        </>
      )}
      {a.certId !== undefined && (
        <>
          {' '}
          · certificate <Hostile text={a.certId} />
          {a.certSerial !== undefined && (
            <>
              {' '}
              (serial <Hostile text={a.certSerial} />)
            </>
          )}
        </>
      )}
      {a.caFingerprint !== undefined && (
        <>
          {' '}
          · CA{' '}
          <code className="fingerprint">
            <Hostile text={a.caFingerprint} />
          </code>
        </>
      )}
    </span>
  );
};

export const SessionHeader = ({ session: s, events, review, onJump }: { session: Session; events: readonly SessionEvent[]; review: Review | null; onJump: (seq: number) => void }) => {
  const end = s.endedAt ?? s.lastActivity;
  const hasLine = new Set(events.map((e) => e.seq));
  return (
    <section className="session-header" data-testid="session-header">
      <div className="session-title-row">
        <h1 className="session-title">
          <span className="who" data-testid="session-user">
            <Hostile text={s.user} empty="(unknown user)" />
          </span>
          <span className="at"> @ </span>
          <span className="host" data-testid="session-host">
            <Hostile text={s.host} />
          </span>
        </h1>
        <span className="session-id muted">session #{s.id}</span>
        {review !== null && <StateBadge state={review.state} testId="review-state" />}
        {review?.overdue === true && <OverdueMark />}
        {review?.changedSinceApproval === true && <ChangedMark />}
      </div>
      <dl className="session-facts">
        <div>
          <dt>Device</dt>
          <dd data-testid="session-device-type">
            <Hostile text={s.deviceType} />
          </dd>
        </div>
        <div>
          <dt>From</dt>
          <dd data-testid="session-origin">
            <Hostile text={s.origin} empty="unknown" />
            {s.originPort !== null && <span className="muted"> port {s.originPort}</span>}
            {s.tty !== null && (
              <span className="muted">
                {' '}
                on <Hostile text={s.tty} />
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Authenticated by</dt>
          <dd>
            <AuthLine session={s} />
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={s.startedAt} title={s.startedAt}>
              {dateTime(s.startedAt)}
            </time>{' '}
            for {duration(between(s.startedAt, end))}{' '}
            <span className={`status status-${s.status}`} data-testid="session-status">
              {s.status === 'open' ? 'still open' : `closed${s.closeReason !== null ? ` (${s.closeReason})` : ''}`}
            </span>
          </dd>
        </div>
        <div>
          <dt>Activity</dt>
          <dd>
            {s.commandCount} commands · {s.privilegeCount} privilege steps · {s.eventCount} events
            {s.weakCount > 0 && <span className="weak-count"> · {s.weakCount} weak links</span>}
          </dd>
        </div>
        <div>
          <dt>Risk</dt>
          <dd data-testid="session-risk">
            <RiskBadge level={s.risk?.level} score={s.risk?.score} />
          </dd>
        </div>
      </dl>
      {s.risk !== undefined && s.risk.hits.length > 0 && (
        <ul className="risk-hits" data-testid="risk-hits">
          {s.risk.hits.map((h, i) => (
            <li key={`${h.rule}-${h.seq}-${i}`} data-testid="risk-hit" data-rule={h.rule}>
              <span className={`badge risk risk-${h.level}`}>{h.level}</span>{' '}
              {hasLine.has(h.seq) ? (
                <button type="button" className="link-button" onClick={() => onJump(h.seq)} title="Show the line">
                  <Hostile text={h.title} />
                </button>
              ) : (
                <Hostile text={h.title} />
              )}{' '}
              <code className="muted">
                <Hostile text={h.rule} />
              </code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
