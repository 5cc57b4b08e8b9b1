// The dashboard's live data, shared by /dashboard and /wall: the snapshot (GET /api/v1/dashboard), then the
// event stream (EventSource) for new high-risk hits and fresh counters. It reconnects by itself: the browser
// retries a dropped stream (resuming with Last-Event-ID); when the browser gives up (the server refused or
// is gone) the snapshot is loaded again with backoff; and a watchdog starts over when nothing arrived for 60 s.
// A 401 goes through the api client, which signs the page out. No log content is interpreted here.
import { useEffect, useState } from 'react';
import { api, describeError } from '../api-client.ts';
import type { DashboardHit, DashboardSnapshot } from '../api-types.ts';

export type LinkState = 'connecting' | 'live' | 'disconnected';

export interface LiveDashboard {
  readonly snapshot: DashboardSnapshot | null;
  /** When the snapshot arrived, by this browser's clock (ages shown are the server's plus the time since). */
  readonly snapshotAt: number;
  /** High-risk hits, newest stored first, at most `maxHits`. */
  readonly hits: readonly DashboardHit[];
  /** Ids of the hits that came over the stream while the page was open (they are marked as new). */
  readonly liveIds: ReadonlySet<number>;
  readonly link: LinkState;
  /** When anything last came from the server (browser clock). */
  readonly lastDataAt: number;
  /** When the next attempt is due while disconnected. */
  readonly retryAt: number | null;
  readonly error: string | null;
  /** Hits the server left out when it caught this page up after a long absence. */
  readonly skipped: number;
}

export const WATCHDOG_MS = 60_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** After the server ends a stream on purpose (`event: reconnect`), a reconnection this soon is not an outage. */
const PLANNED_MS = 15_000;

/** Two stored rows of one event and rule are one hit (a hit is stored again when its session is found later). */
const hitKey = (h: DashboardHit): string => `${h.eventId}:${h.rule}`;

export const mergeHits = (have: readonly DashboardHit[], more: readonly DashboardHit[], max: number): DashboardHit[] => {
  const byKey = new Map<string, DashboardHit>();
  for (const h of [...have, ...more]) {
    const k = hitKey(h);
    const old = byKey.get(k);
    if (old === undefined || h.id >= old.id) byKey.set(k, h);
  }
  return [...byKey.values()].sort((a, b) => b.id - a.id).slice(0, max);
};

const initial = (): LiveDashboard => ({
  snapshot: null,
  snapshotAt: 0,
  hits: [],
  liveIds: new Set(),
  link: 'connecting',
  lastDataAt: Date.now(),
  retryAt: null,
  error: null,
  skipped: 0,
});

export const useDashboardLive = ({ hours, maxHits }: { hours: number; maxHits: number }): LiveDashboard => {
  const [state, setState] = useState<LiveDashboard>(initial);

  useEffect(() => {
    let stopped = false;
    let es: EventSource | null = null;
    let lastId = 0;
    let backoff = FIRST_RETRY_MS;
    let retryTimer: number | null = null;
    let plannedAt = 0;
    let lastDataAt = Date.now();
    const update = (f: (s: LiveDashboard) => LiveDashboard) => {
      if (!stopped) setState(f);
    };
    const gotData = () => {
      lastDataAt = Date.now();
      backoff = FIRST_RETRY_MS;
    };

    const closeStream = () => {
      es?.close();
      es = null;
    };

    const scheduleRetry = (error: string | null) => {
      if (stopped || retryTimer !== null) return;
      const wait = backoff;
      backoff = Math.min(backoff * 2, MAX_RETRY_MS);
      update((s) => ({ ...s, link: 'disconnected', retryAt: Date.now() + wait, error: error ?? s.error }));
      retryTimer = window.setTimeout(() => {
        retryTimer = null;
        void load();
      }, wait);
    };

    const openStream = () => {
      closeStream();
      const source = new EventSource(api.dashboardStreamUrl(lastId, hours));
      es = source;
      source.onopen = () => {
        gotData();
        update((s) => ({ ...s, link: 'live', retryAt: null, error: null }));
      };
      source.addEventListener('hit', (ev) => {
        const h = JSON.parse((ev as MessageEvent<string>).data) as DashboardHit;
        gotData();
        lastId = Math.max(lastId, h.id);
        update((s) => ({ ...s, link: 'live', lastDataAt, hits: mergeHits(s.hits, [h], maxHits), liveIds: new Set([...s.liveIds, h.id]) }));
      });
      source.addEventListener('snapshot', (ev) => {
        const snap = JSON.parse((ev as MessageEvent<string>).data) as DashboardSnapshot;
        gotData();
        update((s) => ({ ...s, link: 'live', lastDataAt, retryAt: null, error: null, snapshot: snap, snapshotAt: Date.now() }));
      });
      source.addEventListener('gap', (ev) => {
        const { skipped } = JSON.parse((ev as MessageEvent<string>).data) as { skipped: number };
        update((s) => ({ ...s, skipped: s.skipped + skipped }));
      });
      source.addEventListener('reconnect', () => {
        plannedAt = Date.now();
      });
      source.onerror = () => {
        if (stopped || es !== source) return;
        if (source.readyState === EventSource.CLOSED) {
          // The browser gave up (an HTTP error such as 401, or a wrong answer): start over from the snapshot,
          // whose request tells the app when the sign-in has ended.
          closeStream();
          scheduleRetry('the live stream was refused; reloading');
        } else if (Date.now() - plannedAt > PLANNED_MS) {
          // The browser is retrying by itself (after `retry:`), resuming with Last-Event-ID.
          update((s) => ({ ...s, link: 'disconnected', retryAt: null, error: 'connection to the server lost' }));
        }
      };
    };

    const load = async () => {
      try {
        const snap = await api.dashboard(hours);
        if (stopped) return;
        gotData();
        lastId = Math.max(lastId, snap.stream.lastHitId);
        update((s) => ({
          ...s,
          snapshot: snap,
          snapshotAt: Date.now(),
          lastDataAt,
          hits: mergeHits(s.hits, snap.highRisk.recent ?? [], maxHits),
          error: null,
        }));
        openStream();
      } catch (e) {
        if (stopped) return;
        closeStream();
        scheduleRetry(describeError(e));
      }
    };

    // Nothing at all for a minute (not even the periodic snapshot): the connection is dead without the
    // browser noticing (a sleeping laptop, a proxy holding it). Start over.
    const watchdog = window.setInterval(() => {
      if (stopped || retryTimer !== null || Date.now() - lastDataAt < WATCHDOG_MS) return;
      closeStream();
      lastDataAt = Date.now();
      update((s) => ({ ...s, link: 'disconnected', error: 'nothing from the server for a minute; reconnecting' }));
      void load();
    }, 5_000);

    void load();
    return () => {
      stopped = true;
      closeStream();
      if (retryTimer !== null) window.clearTimeout(retryTimer);
      window.clearInterval(watchdog);
    };
  }, [hours, maxHits]);

  return state;
};

/** Re-renders every `ms` so that ages ("3 min ago") move on. */
export const useNow = (ms: number): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
};
