// Turning hits into outbox rows: deduplication (repeats of one rule, host and session within a route's
// window fold into a follow-up with a count), the per-route rate limit (past maxPerMinute in a clock
// minute a row is held, queued not dropped) and the summary that carries held rows. Runs inside the
// router's transaction; time is the injected clock's, never the hits' own.
import type { HitLevel } from '../model/risk.js';
import type { AlertDetails, AlertStore, OutboxRow } from './port.js';
import { dedupKey, hitLevel, levelRank } from './routing.js';
import type { AlertHit, RouteConfig, RuleInfo, SummaryItem } from './types.js';

export const MINUTE_MS = 60_000;
/** Groups listed in a summary at most; its count covers all. */
export const SUMMARY_ITEMS_MAX = 50;

export interface AdmitContext {
  readonly store: AlertStore;
  readonly rules: ReadonlyMap<string, RuleInfo>;
  /** alerts.publicUrl without a trailing slash. */
  readonly publicUrl: string | null;
}

const bucketStart = (now: number): number => now - (now % MINUTE_MS);

/** Deliverable now, or held: the route already released maxPerMinute rows in this clock minute. */
const place = (ctx: AdmitContext, route: RouteConfig, now: number): 'pending' | 'held' =>
  ctx.store.releasedSince(route.name, bucketStart(now)) < route.maxPerMinute ? 'pending' : 'held';

const sessionUrl = (ctx: AdmitContext, session: number | null): string | null =>
  ctx.publicUrl === null || session === null ? null : `${ctx.publicUrl}/sessions/${session}`;

const detailsOf = (ctx: AdmitContext, hit: AlertHit): AlertDetails => {
  const rule = ctx.rules.get(hit.rule);
  return { title: rule?.title ?? hit.rule, why: rule?.why ?? '', user: hit.user, command: hit.command, seq: hit.seq, time: hit.time, url: sessionUrl(ctx, hit.sessionId), items: [] };
};

/** One hit a route takes: a first alert, or one more in the follow-up of the open window. */
export const admitHit = (ctx: AdmitContext, route: RouteConfig, hit: AlertHit, now: number): void => {
  const key = dedupKey(hit);
  const windowMs = route.dedupWindowSeconds * 1000;
  const open = windowMs > 0 ? ctx.store.openAlert(route.name, key, now) : undefined;
  const common = { route: route.name, dedupKey: key, rule: hit.rule, host: hit.host, sessionId: hit.sessionId, level: hitLevel(hit.level), now } as const;
  if (open === undefined) {
    ctx.store.insert({ ...common, kind: 'alert', parentId: null, count: 1, state: place(ctx, route, now), windowEnd: windowMs > 0 ? now + windowMs : null, details: detailsOf(ctx, hit) });
    return;
  }
  const followup = ctx.store.followupOf(open.id);
  if (followup !== undefined) ctx.store.addToCount(followup.id, 1);
  // The follow-up counts every hit of the window, the first included.
  else ctx.store.insert({ ...common, kind: 'followup', parentId: open.id, count: 2, state: 'folding', windowEnd: open.windowEnd, details: open.details });
};

/** Follow-ups whose window closed become deliverable (or held). */
export const closeWindows = (ctx: AdmitContext, routes: ReadonlyMap<string, RouteConfig>, now: number): void => {
  for (const row of ctx.store.closedWindows(now)) {
    const route = routes.get(row.route);
    if (route === undefined) continue; // failed at start as unrouted
    if (place(ctx, route, now) === 'pending') ctx.store.release(row.id, now);
    else ctx.store.hold(row.id);
  }
};

const maxLevel = (rows: readonly { level: HitLevel }[]): HitLevel =>
  rows.reduce<HitLevel>((m, r) => (levelRank(r.level) > levelRank(m) ? r.level : m), 'informational');

const same = <T>(rows: readonly OutboxRow[], f: (r: OutboxRow) => T): T | null => {
  const first = f(rows[0]!);
  return rows.every((r) => f(r) === first) ? first : null;
};

const summaryItems = (rows: readonly OutboxRow[]): SummaryItem[] => {
  const groups = new Map<string, { rule: string | null; host: string | null; session: number | null; level: HitLevel; count: number }>();
  for (const r of rows) {
    const k = `${r.rule}\t${r.host}\t${r.sessionId}`;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { rule: r.rule, host: r.host, session: r.sessionId, level: r.level, count: r.count });
    else {
      g.count += r.count;
      if (levelRank(r.level) > levelRank(g.level)) g.level = r.level;
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || levelRank(b.level) - levelRank(a.level)).slice(0, SUMMARY_ITEMS_MAX);
};

/**
 * Once a new clock minute leaves the route room, what it held goes out: one row as it is, several as
 * one summary (count: all their hits) that takes one slot of the minute.
 */
export const releaseHeld = (ctx: AdmitContext, route: RouteConfig, now: number): void => {
  const held = ctx.store.held(route.name);
  if (held.length === 0 || place(ctx, route, now) === 'held') return;
  if (held.length === 1) {
    ctx.store.release(held[0]!.id, now);
    return;
  }
  const count = held.reduce((n, r) => n + r.count, 0);
  const session = same(held, (r) => r.sessionId);
  const details: AlertDetails = {
    title: `${held.length} alerts held by the rate limit of route ${route.name} (${route.maxPerMinute} a minute)`,
    why: 'More alerts than the route may send in a minute: they were held, none dropped, and are sent together here.',
    user: null,
    command: null,
    seq: null,
    time: Math.min(...held.map((r) => r.details.time)),
    url: sessionUrl(ctx, session),
    items: summaryItems(held),
  };
  const id = ctx.store.insert({
    route: route.name,
    kind: 'summary',
    dedupKey: null,
    parentId: null,
    rule: same(held, (r) => r.rule),
    host: same(held, (r) => r.host),
    sessionId: session,
    level: maxLevel(held),
    count,
    state: 'pending',
    windowEnd: null,
    now,
    details,
  });
  ctx.store.summarize(held.map((r) => r.id), id, now);
};
