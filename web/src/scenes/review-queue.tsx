// `/`: the review queue (GET /api/v1/queue) — needing review first, then flagged, then the rest, in the
// server's order. j/k move the selection, o or Enter opens, / searches the commands.
import { useEffect, useRef, useState } from 'react';
import { api, describeError } from '../api-client.ts';
import type { QueueAnswer, QueueFilters as Filters, QueueItem } from '../api-types.ts';
import { ChangedMark, OverdueMark, RiskBadge, StateBadge } from '../components/badges.tsx';
import { Hostile } from '../components/hostile.tsx';
import { KeyboardHelp } from '../components/keyboard-help.tsx';
import { Link } from '../components/link.tsx';
import { between, dateTime, duration } from '../lib/format.ts';
import { useShortcuts } from '../lib/keys.ts';
import { navigate, sessionPath, useLocation } from '../router.ts';
import { QueueFilters, filtersFromSearch, searchFromFilters } from './queue-filters.tsx';

const QUEUE_KEYS = [
  ['j', 'next'],
  ['k', 'previous'],
  ['o', 'open'],
  ['/', 'search commands'],
] as const;

const Row = ({ item, selected, onSelect }: { item: QueueItem; selected: boolean; onSelect: () => void }) => {
  const { session: s, review: r } = item;
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const open = () => navigate(sessionPath(s.id));
  return (
    <tr
      ref={ref}
      className={`queue-row ${selected ? 'selected' : ''} ${r.overdue ? 'is-overdue' : ''}`}
      aria-selected={selected}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a') !== null) return;
        onSelect();
        open();
      }}
      data-testid="queue-row"
      data-session-id={s.id}
      data-state={r.state}
    >
      <td className="col-state">
        <StateBadge state={r.state} />
        {r.overdue && <OverdueMark />}
        {r.changedSinceApproval && <ChangedMark short />}
      </td>
      <td className="col-risk">
        <RiskBadge level={s.risk?.level} score={s.risk?.score} />
      </td>
      <td className="col-where">
        <Link to={sessionPath(s.id)} className="session-link" testId="queue-row-link">
          <span className="who">
            <Hostile text={s.user} empty="(unknown user)" />
          </span>
          <span className="at"> @ </span>
          <span className="host">
            <Hostile text={s.host} />
          </span>
        </Link>
        <div className="sub">
          <span className="device-type">
            <Hostile text={s.deviceType} />
          </span>
          {s.origin !== null && (
            <>
              {' · from '}
              <Hostile text={s.origin} />
            </>
          )}
          {s.risk !== undefined && s.risk.hits.length > 0 && (
            <>
              {' · '}
              <span className="why-risky">
                <Hostile text={[...new Set(s.risk.hits.map((h) => h.title))].slice(0, 2).join('; ')} />
                {new Set(s.risk.hits.map((h) => h.title)).size > 2 ? ' …' : ''}
              </span>
            </>
          )}
        </div>
      </td>
      <td className="col-time" title={s.startedAt}>
        {dateTime(s.startedAt)}
      </td>
      <td className="col-duration">{s.status === 'open' ? <span className="open-mark">open</span> : duration(between(s.startedAt, s.endedAt ?? s.lastActivity))}</td>
      <td className="col-num" title="commands">
        {s.commandCount}
      </td>
      <td className="col-approvals" data-testid="queue-row-approvals" title={`${r.approvals} of ${r.needed} approvals`}>
        {r.needed > 0 ? `${r.approvals}/${r.needed}` : '—'}
      </td>
    </tr>
  );
};

const EmptyQueue = ({ filtered }: { filtered: boolean }) =>
  filtered ? (
    <div className="empty" data-testid="queue-empty">
      No session matches these filters.
    </div>
  ) : (
    <div className="empty onboarding" data-testid="queue-empty">
      <h2>No sessions yet</h2>
      <p>Point your servers' and devices' syslog at this Countersign (the ports are in the lines <code>countersign serve</code> printed at start). For example, in rsyslog:</p>
      <pre>{`# /etc/rsyslog.d/90-countersign.conf
*.* action(type="omfwd" target="${window.location.hostname}" port="514" protocol="tcp"
           TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`}</pre>
      <p>Commands are seen only where they are logged: enable snoopy or auditd execve rules on servers, <code>archive / log config</code> on IOS, and <code>interactive-commands</code> syslog on JunOS.</p>
    </div>
  );

export const ReviewQueue = () => {
  const { search } = useLocation();
  const query = search.toString();
  const filters = filtersFromSearch(search);
  const [answer, setAnswer] = useState<QueueAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api.queue(filtersFromSearch(new URLSearchParams(query))).then(
      (a) => {
        if (!live) return;
        setAnswer(a);
        setError(null);
        setLoading(false);
        setSelected((i) => Math.min(i, Math.max(0, a.sessions.length - 1)));
      },
      (e: unknown) => {
        if (!live) return;
        setError(describeError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [query]);

  const rows = answer?.sessions ?? [];
  useShortcuts({
    j: () => setSelected((i) => Math.min(i + 1, rows.length - 1)),
    k: () => setSelected((i) => Math.max(i - 1, 0)),
    o: () => {
      const r = rows[selected];
      if (r !== undefined) navigate(sessionPath(r.session.id));
    },
    Enter: (e) => {
      if ((e.target as HTMLElement).closest('a, button') !== null) return false;
      const r = rows[selected];
      if (r !== undefined) navigate(sessionPath(r.session.id));
    },
    '/': () => searchRef.current?.focus(),
  });

  const change = (f: Filters) => {
    setSelected(0);
    navigate(searchFromFilters(f));
  };
  const filtered = Object.keys(filters).some((k) => k !== 'state');

  return (
    <main className="page queue-page" data-testid="queue-page">
      <QueueFilters filters={filters} counts={answer?.counts ?? null} onChange={change} searchRef={searchRef} />
      {error !== null && (
        <p className="form-error" role="alert" data-testid="queue-error">
          {error}
        </p>
      )}
      {answer !== null && rows.length === 0 && !loading && <EmptyQueue filtered={filtered || (filters.state !== undefined && answer.counts.total > 0)} />}
      {rows.length > 0 && (
        <table className={`queue-table ${loading ? 'stale' : ''}`} data-testid="queue-table" aria-busy={loading}>
          <thead>
            <tr>
              <th>State</th>
              <th>Risk</th>
              <th>Who @ where</th>
              <th>Started</th>
              <th>Duration</th>
              <th title="commands">Cmds</th>
              <th>Approvals</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item, i) => (
              <Row key={item.session.id} item={item} selected={i === selected} onSelect={() => setSelected(i)} />
            ))}
          </tbody>
        </table>
      )}
      {answer === null && loading && <p className="muted">Loading the queue…</p>}
      <KeyboardHelp keys={QUEUE_KEYS} />
    </main>
  );
};
