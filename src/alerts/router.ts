// The alert stage: follows the rule hits the deriver stores (a cursor in the store, so a restart misses
// none), routes them, folds repeats, holds what is over a route's rate, and delivers the outbox through
// each route's sink with retries. A hit is delivered, waiting in the outbox, or failed with a reason:
// never dropped in silence. Time is the injected clock's; one tick at a time.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { Gauge, type Registry } from '../pipeline/metrics.js';
import { openAlertStore } from '../store/index.js';
import { admitHit, closeWindows, releaseHeld, type AdmitContext } from './admit.js';
import { afterFailure } from './backoff.js';
import { alertHealth, type AlertRouteHealth } from './health.js';
import type { AlertStore, OutboxRow, RouteTotals } from './port.js';
import { routeTakes } from './routing.js';
import { createSink } from './sinks/index.js';
import type { Alert, AlertSink, AlertsConfig, RouteConfig, RuleInfo } from './types.js';

/** Hits taken per transaction, and transactions per tick at most (a backlog is worked off over several ticks). */
const HIT_BATCH = 500;
const HIT_BATCHES_PER_TICK = 10;
/** Deliveries per route per tick at most. */
const DELIVER_BATCH = 100;
/** Delivered rows and taken hits are forgotten after this long (the route totals keep counting). */
const KEEP_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** On stop, how long a delivery under way may finish before its connection is closed. */
const STOP_GRACE_MS = 5_000;

export interface AlertRouterOptions {
  readonly dataDir: string;
  readonly config: AlertsConfig;
  /** The loaded rules (compiled rules fit): titles, reasons and tags for alerts and routing. */
  readonly rules: readonly (RuleInfo & { readonly id: string })[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Adds the `countersign_alerts` gauges to this registry (/metrics). */
  readonly registry?: Registry;
  readonly intervalMs?: number;
}

const message = (e: unknown): string => String((e as Error)?.message ?? e);

export class AlertRouter {
  private readonly store: AlertStore;
  private readonly routes: ReadonlyMap<string, RouteConfig>;
  private readonly sinks = new Map<string, AlertSink>();
  private readonly ctx: AdmitContext;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private lastPrune = -Infinity;
  private totalsCache: RouteTotals[] = [];
  /** The last tick's failure (its bookkeeping, not a delivery: those are per route in health()). */
  lastFailure: string | null = null;

  constructor(private readonly opts: AlertRouterOptions) {
    this.routes = new Map(opts.config.routes.map((r) => [r.name, r]));
    this.store = openAlertStore(opts.dataDir);
    try {
      opts.config.routes.forEach((r, i) => this.sinks.set(r.name, createSink(r.sink, { clock: opts.clock, optionPath: `alerts.routes.${i}.sink` })));
    } catch (e) {
      this.store.close();
      throw e;
    }
    this.ctx = {
      store: this.store,
      rules: new Map(opts.rules.map((r) => [r.id, { title: r.title, why: r.why, tags: r.tags }])),
      publicUrl: opts.config.publicUrl?.replace(/\/+$/, '') ?? null,
    };
    const gone = this.store.failUnrouted([...this.routes.keys()], opts.clock.now(), 'route removed from the configuration');
    if (gone > 0) opts.log.error({ alerts: gone }, 'alerts of routes no longer configured marked failed');
    this.totalsCache = this.store.totals();
    if (opts.registry !== undefined) this.addGauges(opts.registry);
  }

  start(): void {
    if (this.timer !== null || this.stopping) return;
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs ?? 500);
    this.timer.unref();
    void this.tick();
  }

  /** One round: take new hits into the outbox, then deliver what is due. Never throws; one at a time. */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopping) return;
    try {
      this.admit(this.opts.clock.now());
      this.lastFailure = null;
    } catch (e) {
      if (this.lastFailure !== message(e)) this.opts.log.error({ err: message(e) }, 'alerts: taking rule hits failed; retrying');
      this.lastFailure = message(e);
    }
    await Promise.all(
      [...this.routes.values()].map((r) =>
        // A store error after a send leaves the alert pending: it is sent again (at least once, never lost).
        this.deliverRoute(r).catch((e: unknown) => this.opts.log.error({ route: r.name, err: message(e) }, 'alerts: recording a delivery failed')),
      ),
    );
    try {
      const now = this.opts.clock.now();
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.store.prune(now - KEEP_MS);
        this.lastPrune = now;
      }
      this.totalsCache = this.store.totals();
    } catch (e) {
      this.opts.log.error({ err: message(e) }, 'alerts: bookkeeping failed');
    }
  }

  /**
   * What the rate limit held and windows that closed, then new hits a batch at a time, each batch in one
   * transaction with the cursor (cursor and outbox move together). Short transactions, and none when
   * idle: they take the store's write lock, which the writer thread needs for every ingest commit.
   */
  private admit(now: number): void {
    if (this.store.hasWaiting(now)) {
      this.store.transaction(() => {
        for (const r of this.routes.values()) releaseHeld(this.ctx, r, now);
        closeWindows(this.ctx, this.routes, now);
      });
    }
    for (let i = 0; i < HIT_BATCHES_PER_TICK && this.store.hasNewHits(); i++) {
      let more = false;
      this.store.transaction(() => {
        const taken = this.store.takeHits(HIT_BATCH, now);
        for (const hit of taken.hits) {
          for (const r of this.routes.values()) if (routeTakes(r, hit, this.ctx.rules.get(hit.rule))) admitHit(this.ctx, r, hit, now);
        }
        more = taken.more;
      });
      if (!more) break;
    }
  }

  /** Oldest first; the first failure ends the route's turn, and the failed alert, retrying, holds the others back (one backoff per route). */
  private async deliverRoute(route: RouteConfig): Promise<void> {
    const sink = this.sinks.get(route.name)!;
    for (const row of this.store.due(route.name, this.opts.clock.now(), DELIVER_BATCH)) {
      if (this.stopping) return;
      try {
        await sink.send(toAlert(row));
      } catch (e) {
        if (this.stopping) return; // cut short by stop: still pending, tried again at the next start
        this.failed(route, row, message(e));
        return;
      }
      this.store.delivered(row.id, this.opts.clock.now());
    }
  }

  private failed(route: RouteConfig, row: OutboxRow, error: string): void {
    const now = this.opts.clock.now();
    const attempts = row.attempts + 1;
    const v = afterFailure({ attempts, createdAt: row.createdAt, now, maxAgeMs: route.retryMaxAgeSeconds * 1000, error });
    if (v.retry) {
      this.store.retry(row.id, now, v.at, error);
      this.opts.log.warn({ route: route.name, alert: row.id, attempts, retryInMs: v.at - now, err: error }, 'alert delivery failed; will retry');
    } else {
      this.store.fail(row.id, now, v.reason);
      this.opts.log.error({ route: route.name, alert: row.id, attempts, err: v.reason }, 'alert delivery given up: marked failed');
    }
  }

  /** Per route: delivered, pending, held, failed, last error, last success (the dashboard's alert health). */
  health(): AlertRouteHealth[] {
    // Once stopping, the store may be closed: the last numbers read.
    return alertHealth(this.stopping ? this.totalsCache : this.store.totals(), this.opts.config.routes);
  }

  private addGauges(registry: Registry): void {
    const g = registry.add(
      new Gauge(
        'countersign_alerts',
        'Alert delivery per route: delivered and failed (totals), pending (not delivered yet: to send, retrying, held or counting repeats), held (over the rate limit), last_success_timestamp_seconds (0: never).',
      ),
    );
    const of = (route: string): RouteTotals | undefined => this.totalsCache.find((t) => t.route === route);
    for (const name of this.routes.keys()) {
      g.set({ route: name, what: 'delivered' }, () => of(name)?.delivered ?? 0);
      g.set({ route: name, what: 'pending' }, () => of(name)?.pending ?? 0);
      g.set({ route: name, what: 'held' }, () => of(name)?.held ?? 0);
      g.set({ route: name, what: 'failed' }, () => of(name)?.failed ?? 0);
      g.set({ route: name, what: 'last_success_timestamp_seconds' }, () => Math.round((of(name)?.lastSuccessAt ?? 0) / 1000));
    }
  }

  /** Stops taking hits and delivering; what is not delivered stays in the outbox for the next start. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    const running = this.ticking;
    if (running !== null) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((r) => (grace = setTimeout(r, STOP_GRACE_MS)))]);
      clearTimeout(grace);
    }
    await Promise.all([...this.sinks.values()].map((s) => s.close().catch(() => undefined)));
    await running;
    this.store.close();
  }
}

export const toAlert = (r: OutboxRow): Alert => ({
  id: r.id,
  kind: r.kind,
  route: r.route,
  rule: r.rule,
  title: r.details.title,
  level: r.level,
  why: r.details.why,
  host: r.host,
  user: r.details.user,
  session: r.sessionId,
  command: r.details.command,
  seq: r.details.seq,
  time: r.details.time,
  count: r.count,
  url: r.details.url,
  items: r.details.items,
});
