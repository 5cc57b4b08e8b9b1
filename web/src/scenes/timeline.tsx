// A session's timeline, read like a diff: one line per event with its time, kind, tty, cwd and the user it
// acted as; privilege changes as visible steps ("→ root"), config changes and commits highlighted, rule hits
// and weak links marked on their lines, the learning table's one-liner beside a command, the raw record on
// demand, and the comments under the line they are about. Every string from the event is hostile.
import { useEffect, useRef } from 'react';
import type { ReviewAction, RuleHit, Session, SessionEvent } from '../api-types.ts';
import { CommentBox } from '../components/comment-box.tsx';
import { CommentThread } from '../components/comment-thread.tsx';
import { Hostile } from '../components/hostile.tsx';
import { clock } from '../lib/format.ts';

const KIND_LABEL: Readonly<Record<string, string>> = {
  login: 'login',
  login_failed: 'login failed',
  logout: 'logout',
  command: 'cmd',
  privilege: 'priv',
  privilege_failed: 'priv ✗',
  config_change: 'config',
  commit: 'commit',
  http_request: 'http',
  tty_io: 'tty',
  reboot: 'reboot',
  alert_only: 'alert',
  unparsed: 'unparsed',
};

/** Kinds that run something as someone: marked when that someone is not the login user. */
const ACTS_AS = new Set(['command', 'config_change', 'commit', 'http_request']);

/** What the line says, beyond its marks: the command, or a short sentence for the other kinds. */
const Summary = ({ e, session }: { e: SessionEvent; session: Session }) => {
  switch (e.kind) {
    case 'login':
      return (
        <span className="summary">
          logged in{e.user !== null && e.user !== session.user ? <> as <Hostile text={e.user} /></> : null}
          {e.remote !== null && (
            <>
              {' '}
              from <Hostile text={e.remote} />
            </>
          )}
          {e.action !== null && e.action !== 'accepted' && <span className="muted"> ({<Hostile text={e.action} />})</span>}
        </span>
      );
    case 'login_failed':
      return (
        <span className="summary">
          login failed{e.user !== null && <> for <Hostile text={e.user} /></>}
          {e.reason !== null && <>: <Hostile text={e.reason} /></>}
        </span>
      );
    case 'logout':
      return <span className="summary muted">logged out{e.action !== null && <> ({<Hostile text={e.action} />})</>}</span>;
    case 'reboot':
      return <span className="summary">the device rebooted</span>;
    case 'tty_io':
      return <span className="summary muted">terminal recording chunk</span>;
    case 'unparsed':
      return (
        <code className="command unparsed">
          <Hostile text={e.raw} />
        </code>
      );
    default:
      return e.command !== null ? (
        <code className="command">
          <Hostile text={e.command} />
        </code>
      ) : (
        <span className="summary">
          <Hostile text={e.action ?? e.kind} />
          {e.reason !== null && <>: <Hostile text={e.reason} /></>}
        </span>
      );
  }
};

/** su/sudo/enable as a step in the story: who became whom, and how. */
const PrivilegeStep = ({ e }: { e: SessionEvent }) => {
  const failed = e.kind === 'privilege_failed';
  return (
    <div className={`privilege-step ${failed ? 'failed' : ''}`} data-testid="privilege-step">
      <span className="arrow">{failed ? '✗' : '⤷'}</span>
      <Hostile text={e.user} empty="?" /> <span className="to">→</span>{' '}
      <strong className="target-user">
        <Hostile text={e.targetUser ?? e.effectiveUser} empty="?" />
      </strong>
      {e.command !== null && (
        <>
          {' '}
          via{' '}
          <code className="command">
            <Hostile text={e.command} />
          </code>
        </>
      )}
      {!e.command && e.action !== null && (
        <>
          {' '}
          (<Hostile text={e.action} />)
        </>
      )}
      {failed && (
        <span className="refused">
          {' '}
          refused{e.reason !== null && <>: <Hostile text={e.reason} /></>}
        </span>
      )}
    </div>
  );
};

interface LineProps {
  readonly e: SessionEvent;
  readonly session: Session;
  readonly hitsByRule: ReadonlyMap<string, RuleHit>;
  readonly selected: boolean;
  readonly playing: boolean;
  readonly comments: readonly ReviewAction[];
  readonly commenting: boolean;
  readonly rawOpen: boolean;
  readonly canComment: boolean;
  readonly onSelect: () => void;
  readonly onComment: () => void;
  readonly onCancelComment: () => void;
  readonly onSubmitComment: (body: string) => Promise<boolean>;
  readonly onToggleRaw: () => void;
}

const TimelineLine = (p: LineProps) => {
  const { e, session } = p;
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (p.selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [p.selected]);
  const hits = (e.hits ?? []).map((id) => ({ id, hit: p.hitsByRule.get(id) }));
  const asOther = e.effectiveUser !== null && e.effectiveUser !== session.user && ACTS_AS.has(e.kind);
  const privilege = e.kind === 'privilege' || e.kind === 'privilege_failed';
  const classes = [
    'tl-line',
    `kind-${e.kind}`,
    p.selected ? 'selected' : '',
    p.playing ? 'playing' : '',
    hits.length > 0 ? 'has-hits' : '',
    e.link === 'weak' ? 'weak' : '',
    asOther ? 'elevated' : '',
  ].join(' ');
  return (
    <li ref={ref} className={classes} data-testid="timeline-line" data-event-id={e.id} data-seq={e.seq} data-kind={e.kind} aria-selected={p.selected} onClick={p.onSelect}>
      <div className="tl-row">
        <span className="tl-gutter">
          {p.canComment && (
            <button
              type="button"
              className="add-comment"
              title="Comment on this line (c)"
              aria-label="Comment on this line"
              onClick={(ev) => {
                ev.stopPropagation();
                p.onComment();
              }}
              data-testid="line-comment-button"
            >
              +
            </button>
          )}
        </span>
        <time className="tl-time" dateTime={e.time} title={e.time}>
          {clock(e.time)}
        </time>
        <span className={`tl-kind kind-${e.kind}`}>{KIND_LABEL[e.kind] ?? e.kind}</span>
        <span className="tl-tty" title="terminal">
          <Hostile text={e.tty} empty="" />
        </span>
        <span className="tl-cwd" title="working directory">
          <Hostile text={e.cwd} empty="" />
        </span>
        <span className="tl-main">
          {asOther && (
            <span className="as-user" title="the user this ran as" data-testid="effective-user">
              <Hostile text={e.effectiveUser} />#
            </span>
          )}
          {privilege ? <PrivilegeStep e={e} /> : <Summary e={e} session={session} />}
          {e.explain !== undefined && e.explain !== null && e.explain !== '' && (
            <span className="explain" title="What this command does (learning)" data-testid="explain">
              <span className="explain-label">learn</span> <Hostile text={e.explain} />
            </span>
          )}
        </span>
        <span className="tl-tools">
          <button
            type="button"
            className="link-button raw-toggle"
            onClick={(ev) => {
              ev.stopPropagation();
              p.onToggleRaw();
            }}
            aria-expanded={p.rawOpen}
            data-testid="raw-toggle"
          >
            raw
          </button>
        </span>
      </div>
      {(hits.length > 0 || e.link === 'weak') && (
        <div className="tl-marks">
          {hits.map(({ id, hit }) => (
            <span key={id} className={`rule-hit risk-${hit?.level ?? 'none'}`} data-testid="rule-hit" data-rule={id}>
              ⚑ <Hostile text={id} />
              {hit !== undefined && (
                <>
                  : <Hostile text={hit.title} />
                </>
              )}
            </span>
          ))}
          {e.link === 'weak' && (
            <span className="weak-link" data-testid="weak-link">
              weak link: tied by host, user and time only{e.why !== null && <> — <Hostile text={e.why} /></>}
            </span>
          )}
        </div>
      )}
      {p.rawOpen && (
        <div className="tl-raw" data-testid="raw-record">
          <div className="muted small">
            record #{e.seq} · parser <Hostile text={e.parser} />
            {e.why !== null && e.link !== 'weak' && (
              <>
                {' '}
                · tied by: <Hostile text={e.why} />
              </>
            )}
          </div>
          <pre>
            <Hostile text={e.raw} multiline max={20000} />
          </pre>
        </div>
      )}
      {(p.comments.length > 0 || p.commenting) && (
        <div className="tl-comments" onClick={(ev) => ev.stopPropagation()}>
          <CommentThread actions={p.comments} />
          {p.commenting && <CommentBox autoFocus onSubmit={p.onSubmitComment} onCancel={p.onCancelComment} placeholder="Comment on this line" testId="line-comment-box" />}
        </div>
      )}
    </li>
  );
};

export interface TimelineProps {
  readonly session: Session;
  readonly events: readonly SessionEvent[];
  readonly commentsByEvent: ReadonlyMap<number, readonly ReviewAction[]>;
  readonly selectedId: number | null;
  readonly playingId: number | null;
  readonly commentingId: number | null;
  readonly canComment: boolean;
  readonly rawOpen: ReadonlySet<number>;
  readonly onToggleRaw: (id: number) => void;
  readonly onSelect: (e: SessionEvent) => void;
  readonly onComment: (id: number | null) => void;
  readonly onSubmitComment: (eventId: number, body: string) => Promise<boolean>;
}

export const Timeline = (p: TimelineProps) => {
  const hitsByRule = new Map<string, RuleHit>();
  for (const h of p.session.risk?.hits ?? []) if (!hitsByRule.has(h.rule)) hitsByRule.set(h.rule, h);
  if (p.events.length === 0) return <p className="muted">No events to show.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {p.events.map((e) => (
        <TimelineLine
          key={e.id}
          e={e}
          session={p.session}
          hitsByRule={hitsByRule}
          selected={p.selectedId === e.id}
          playing={p.playingId === e.id}
          comments={p.commentsByEvent.get(e.id) ?? []}
          commenting={p.commentingId === e.id}
          rawOpen={p.rawOpen.has(e.id)}
          canComment={p.canComment}
          onSelect={() => p.onSelect(e)}
          onComment={() => p.onComment(e.id)}
          onCancelComment={() => p.onComment(null)}
          onSubmitComment={(body) => p.onSubmitComment(e.id, body)}
          onToggleRaw={() => p.onToggleRaw(e.id)}
        />
      ))}
    </ol>
  );
};
