// The alert stage's storage port, implemented by src/store/sqlite/alert-store.ts: the outbox (one row per
// route and alert), the cursor over stored rule hits, and per-route totals. Synchronous; the router runs
// each tick's bookkeeping inside one transaction so the cursor and the outbox move together.
import type { HitLevel } from '../model/risk.js';
import type { AlertHit, AlertKind, SummaryItem } from './types.js';

export const OUTBOX_STATES = ['folding', 'held', 'pending', 'delivered', 'failed', 'summarized'] as const;
/**
 * folding: a follow-up counting repeats until its window closes; held: over the rate limit, waiting
 * for the summary; pending: to deliver (or retry); delivered; failed (gave up, with the reason);
 * summarized: sent inside a summary (parent_id).
 */
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** The parts of an alert that are not columns, kept as JSON. */
export interface AlertDetails {
  readonly title: string;
  readonly why: string;
  readonly user: string | null;
  readonly command: string | null;
  readonly seq: number | null;
  readonly time: number;
  readonly url: string | null;
  readonly items: readonly SummaryItem[];
}

export interface NewOutboxRow {
  readonly route: string;
  readonly kind: AlertKind;
  readonly dedupKey: string | null;
  readonly parentId: number | null;
  readonly rule: string | null;
  readonly host: string | null;
  readonly sessionId: number | null;
  readonly level: HitLevel;
  readonly count: number;
  readonly state: 'folding' | 'held' | 'pending';
  readonly windowEnd: number | null;
  readonly now: number;
  readonly details: AlertDetails;
}

/** A row of the outbox as stored: what was queued (NewOutboxRow, its `now` kept as createdAt) and how delivery went. */
export interface OutboxRow extends Omit<NewOutboxRow, 'state' | 'now'> {
  readonly id: number;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly releasedAt: number | null;
  readonly deliveredAt: number | null;
}

/** One route's numbers, as stored. */
export interface RouteTotals {
  readonly route: string;
  readonly delivered: number;
  readonly failed: number;
  /** pending + held + folding: not delivered yet, not given up. */
  readonly pending: number;
  readonly held: number;
  readonly lastSuccessAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly oldestPendingAt: number | null;
}

export interface AlertStore {
  /** Runs fn in one IMMEDIATE transaction. */
  transaction(fn: () => void): void;
  /**
   * Hits stored after the cursor that were not taken before (a hit written again, as when a session adopts
   * an orphan event, is taken once), at most `limit`; moves the cursor past them. Call inside transaction().
   */
  takeHits(limit: number, now: number): { readonly hits: AlertHit[]; readonly more: boolean };
  /** Whether hits were stored after the cursor (or the hit under it changed): a cheap look, outside a transaction. */
  hasNewHits(): boolean;
  /** Whether follow-ups have windows closed by `now`, or rows are held: a cheap look, outside a transaction. */
  hasWaiting(now: number): boolean;
  /** The first alert of the route's open window for this key (window_end > now). */
  openAlert(route: string, dedupKey: string, now: number): OutboxRow | undefined;
  followupOf(parentId: number): OutboxRow | undefined;
  insert(row: NewOutboxRow): number;
  addToCount(id: number, by: number): void;
  /** Rows of the route released (made deliverable) at or after `since`. */
  releasedSince(route: string, since: number): number;
  /** held / folding → pending, deliverable now. */
  release(id: number, now: number): void;
  hold(id: number): void;
  /** Follow-ups whose window has closed. */
  closedWindows(now: number): OutboxRow[];
  held(route: string): OutboxRow[];
  /** Held rows sent inside summary `summaryId`. */
  summarize(ids: readonly number[], summaryId: number, now: number): void;
  /** The route's pending rows oldest first, up to the first not due by `now` (a route delivers in order: its oldest, retrying, holds the rest back). */
  due(route: string, now: number, limit: number): OutboxRow[];
  delivered(id: number, now: number): void;
  retry(id: number, now: number, nextAttemptAt: number, error: string): void;
  fail(id: number, now: number, reason: string): void;
  /** Rows still to deliver on routes no longer configured are marked failed with `reason`; returns how many. */
  failUnrouted(routes: readonly string[], now: number, reason: string): number;
  totals(): RouteTotals[];
  /** Forgets delivered and summarized rows, and taken hits, from before `before`. */
  prune(before: number): void;
  close(): void;
}
