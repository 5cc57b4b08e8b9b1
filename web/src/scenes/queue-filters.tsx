// The queue's filters. The address is the truth: every filter lives in the URL query (so a filtered queue
// can be linked), the form only edits it. Tabs and selects apply at once; text fields on Enter or "Apply".
import { useEffect, useState, type FormEvent, type Ref } from 'react';
import { REVIEW_STATES, RISK_LEVELS, type QueueAnswer, type QueueFilters as Filters } from '../api-types.ts';
import { STATE_LABELS, isoToLocalInput, localInputToIso } from '../lib/format.ts';

export const FILTER_KEYS = ['state', 'risk', 'host', 'deviceType', 'user', 'from', 'to', 'q'] as const;

export const filtersFromSearch = (search: URLSearchParams): Filters => {
  const f: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = search.get(k);
    if (v !== null && v !== '') f[k] = v;
  }
  return f as Filters;
};

export const searchFromFilters = (f: Filters): string => {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined && v !== '' && !(k === 'state' && v === 'all')) p.set(k, v);
  }
  const s = p.toString();
  return s === '' ? '/' : `/?${s}`;
};

interface Props {
  readonly filters: Filters;
  readonly counts: QueueAnswer['counts'] | null;
  readonly onChange: (f: Filters) => void;
  readonly searchRef: Ref<HTMLInputElement>;
}

export const QueueFilters = ({ filters, counts, onChange, searchRef }: Props) => {
  const [text, setText] = useState({ q: filters.q ?? '', host: filters.host ?? '', user: filters.user ?? '', deviceType: filters.deviceType ?? '' });
  // Back/forward or a followed link changes the URL: the fields follow.
  useEffect(() => setText({ q: filters.q ?? '', host: filters.host ?? '', user: filters.user ?? '', deviceType: filters.deviceType ?? '' }), [filters.q, filters.host, filters.user, filters.deviceType]);

  const set = (patch: Partial<Record<keyof Filters, string | undefined>>) => onChange({ ...filters, ...patch } as Filters);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    set({ q: text.q.trim() || undefined, host: text.host.trim() || undefined, user: text.user.trim() || undefined, deviceType: text.deviceType.trim() || undefined });
  };
  const state = filters.state ?? 'all';
  const anyFilter = FILTER_KEYS.some((k) => k !== 'state' && filters[k] !== undefined);

  return (
    <div className="queue-filters" data-testid="queue-filters">
      <nav className="state-tabs" role="tablist" aria-label="Review state" data-testid="queue-filter-state">
        {[...REVIEW_STATES, 'all' as const].map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={state === s}
            className={state === s ? 'tab selected' : 'tab'}
            onClick={() => set({ state: s === 'all' ? undefined : s })}
            data-testid={`queue-tab-${s}`}
          >
            {s === 'all' ? 'All' : STATE_LABELS[s]}
            {counts !== null && (
              <span className="count" data-testid={`queue-count-${s}`}>
                {s === 'all' ? counts.total : counts[s]}
              </span>
            )}
          </button>
        ))}
        {counts !== null && counts.overdue > 0 && (
          <span className="overdue-count" data-testid="queue-count-overdue">
            {counts.overdue} overdue
          </span>
        )}
      </nav>
      <form className="filter-row" onSubmit={apply} role="search">
        <input
          ref={searchRef}
          type="search"
          className="search"
          placeholder="Search commands…  ( / )"
          aria-label="Search commands"
          value={text.q}
          onChange={(e) => setText({ ...text, q: e.target.value })}
          onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          data-testid="queue-search"
        />
        <label>
          Risk at least
          <select value={filters.risk ?? ''} onChange={(e) => set({ risk: e.target.value || undefined })} data-testid="queue-filter-risk">
            <option value="">any</option>
            {RISK_LEVELS.filter((l) => l !== 'none').map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <input placeholder="host" aria-label="Host" value={text.host} onChange={(e) => setText({ ...text, host: e.target.value })} data-testid="queue-filter-host" />
        <input placeholder="device type" aria-label="Device type" value={text.deviceType} onChange={(e) => setText({ ...text, deviceType: e.target.value })} data-testid="queue-filter-device-type" list="device-types" />
        <datalist id="device-types">
          <option value="linux" />
          <option value="cisco-ios" />
          <option value="junos" />
        </datalist>
        <input placeholder="user" aria-label="User" value={text.user} onChange={(e) => setText({ ...text, user: e.target.value })} data-testid="queue-filter-user" />
        <label>
          From
          <input type="datetime-local" value={isoToLocalInput(filters.from)} onChange={(e) => set({ from: localInputToIso(e.target.value) })} data-testid="queue-filter-from" />
        </label>
        <label>
          To
          <input type="datetime-local" value={isoToLocalInput(filters.to)} onChange={(e) => set({ to: localInputToIso(e.target.value) })} data-testid="queue-filter-to" />
        </label>
        <button type="submit" data-testid="queue-filter-apply">
          Apply
        </button>
        {anyFilter && (
          <button type="button" className="link-button" onClick={() => onChange(state === 'all' ? {} : { state })} data-testid="queue-filter-clear">
            Clear filters
          </button>
        )}
      </form>
    </div>
  );
};
