// The dashboard's live feed over server-sent events. One follower per server reads new high-risk rule hits
// by rowid on a short interval (main thread, read-only connection) and hands each to every connected
// client; snapshots of the counters go out on a timer, a heartbeat comment keeps proxies from closing the
// connection. A client that does not read is disconnected once its unsent bytes pass a bound: it never
// makes the server buffer without limit. Each stream ends after a while, and the browser reconnects
// (resuming with Last-Event-ID), so access is checked again.
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { SqliteDashboardReader } from '../../store/sqlite/dashboard-reader.js';
import type { DashboardHit, DashboardSnapshot } from './schema.js';

export interface StreamOptions {
  /** How often the follower looks for new hits. */
  readonly pollMs: number;
  /** How often each client gets a snapshot of the counters. */
  readonly snapshotMs: number;
  /** A comment line this often, so idle connections are not cut by proxies. */
  readonly heartbeatMs: number;
  /** The reconnection delay the browser is told (`retry:`). */
  readonly retryMs: number;
  /**
   * Unsent bytes one client may hold; beyond it the client is disconnected. Keep it above what one poll
   * can send (pollBatch hits of at most ~1.6 KB each: hit frames cut commands, users and hosts).
   */
  readonly maxBufferBytes: number;
  /** A stream is ended after this long (0: never) and the browser reconnects: access is checked again. */
  readonly maxStreamMs: number;
  /** A resuming client is sent at most this many of the hits it missed (the newest). */
  readonly catchUpMax: number;
  /** Hits read per poll. */
  readonly pollBatch: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  pollMs: 500,
  snapshotMs: 10_000,
  heartbeatMs: 15_000,
  retryMs: 3_000,
  maxBufferBytes: 1 << 20,
  maxStreamMs: 10 * 60_000,
  catchUpMax: 200,
  pollBatch: 500,
};

export interface StreamSources {
  readonly reader: SqliteDashboardReader;
  readonly levels: readonly string[];
  readonly presentHit: (h: ReturnType<SqliteDashboardReader['hitsAfter']>[number]) => DashboardHit;
  /** A snapshot of the counters for this span of the charts (without the recent-hits list). */
  readonly snapshot: (hours: number) => DashboardSnapshot;
}

export interface StreamStats {
  readonly clients: number;
  /** Clients disconnected because they did not read. */
  readonly slowDisconnects: number;
  /** The id of the last hit the follower has read. */
  readonly cursor: number;
}

interface Client {
  readonly res: ServerResponse;
  readonly hours: number;
  /** The newest hit id this client has been sent (or was already holding). */
  lastId: number;
  ended: boolean;
  endTimer: NodeJS.Timeout | null;
}

/** One SSE frame. JSON.stringify escapes CR and LF, so the data is one line. */
export const sseFrame = (event: string, data: unknown, id?: number): string =>
  `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export class DashboardStream {
  private readonly clients = new Set<Client>();
  private cursor = 0;
  private timers: NodeJS.Timeout[] = [];
  private slow = 0;
  private closed = false;

  constructor(
    private readonly src: StreamSources,
    private readonly opts: StreamOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  stats(): StreamStats {
    return { clients: this.clients.size, slowDisconnects: this.slow, cursor: this.cursor };
  }

  /**
   * Takes over `res` (headers already chosen by the caller) as a client that has seen every hit up to
   * `after` (null: it starts now). Sends the retry hint, what it missed, and a snapshot.
   */
  attach(res: ServerResponse, o: { after: number | null; hours: number }): void {
    if (this.closed) {
      res.end();
      return;
    }
    if (this.clients.size === 0) this.start();
    const c: Client = { res, hours: o.hours, lastId: this.cursor, ended: false, endTimer: null };
    this.clients.add(c);
    const drop = (): void => this.detach(c);
    res.on('close', drop);
    res.on('error', drop);
    this.write(c, `retry: ${this.opts.retryMs}\n\n`);
    // Synchronous reads on this thread: no poll runs between the catch-up and joining the live feed.
    if (o.after !== null && o.after < this.cursor) {
      const { rows, skipped } = this.src.reader.newestAfter(o.after, this.src.levels, this.opts.catchUpMax, this.cursor);
      if (skipped > 0) this.write(c, sseFrame('gap', { skipped }));
      for (const h of rows) this.write(c, sseFrame('hit', this.src.presentHit(h), h.id));
    } else if (o.after !== null) {
      // It has seen more than the follower (its snapshot was read after the last poll): nothing to repeat.
      c.lastId = o.after;
    }
    this.sendSnapshot([c]);
    if (this.opts.maxStreamMs > 0) {
      c.endTimer = setTimeout(() => {
        this.write(c, sseFrame('reconnect', { afterMs: this.opts.retryMs }));
        this.end(c);
      }, this.opts.maxStreamMs);
      c.endTimer.unref();
    }
  }

  /** Ends every stream and stops the timers (the server is closing). */
  close(): void {
    this.closed = true;
    for (const c of [...this.clients]) this.end(c);
    this.stop();
  }

  private start(): void {
    this.cursor = this.src.reader.maxHitId();
    const every = (ms: number, f: () => void) => {
      const t = setInterval(f, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.pollMs, () => this.poll());
    every(this.opts.snapshotMs, () => this.sendSnapshot([...this.clients]));
    every(this.opts.heartbeatMs, () => {
      for (const c of [...this.clients]) this.write(c, ': heartbeat\n\n');
    });
  }

  private stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Reads the hits stored since the last poll and sends each to the clients that have not seen it. */
  poll(): void {
    if (this.clients.size === 0) return;
    let rows;
    try {
      // In one read: the newest id first, then the hits up to it, so nothing stored meanwhile is skipped.
      rows = this.src.reader.consistent(() => {
        const top = this.src.reader.maxHitId();
        const hits = this.src.reader.hitsAfter(this.cursor, this.src.levels, this.opts.pollBatch, top);
        return { top, hits };
      });
    } catch (e) {
      this.log.warn({ err: String((e as Error)?.message ?? e) }, 'dashboard: reading new rule hits failed; trying again');
      return;
    }
    const { top, hits } = rows;
    if (top < this.cursor) {
      // Fewer hits than before (the store was rebuilt): follow from its new end.
      this.cursor = top;
      for (const c of this.clients) c.lastId = Math.min(c.lastId, top);
      return;
    }
    for (const h of hits) {
      const frame = sseFrame('hit', this.src.presentHit(h), h.id);
      for (const c of [...this.clients]) {
        if (h.id <= c.lastId) continue;
        c.lastId = h.id;
        this.write(c, frame);
      }
    }
    // A full batch may have more behind it: continue from its last hit; otherwise everything up to `top` is read.
    this.cursor = hits.length === this.opts.pollBatch ? hits[hits.length - 1]!.id : top;
    for (const c of this.clients) if (c.lastId < this.cursor) c.lastId = this.cursor;
  }

  private sendSnapshot(clients: readonly Client[]): void {
    const byHours = new Map<number, string>();
    for (const c of clients) {
      let frame = byHours.get(c.hours);
      if (frame === undefined) {
        try {
          frame = sseFrame('snapshot', this.src.snapshot(c.hours));
        } catch (e) {
          this.log.warn({ err: String((e as Error)?.message ?? e) }, 'dashboard: reading the snapshot failed');
          return;
        }
        byHours.set(c.hours, frame);
      }
      this.write(c, frame);
    }
  }

  private write(c: Client, frame: string): void {
    if (c.ended) return;
    // Bytes Node holds for this socket beyond what the kernel took: a client that stopped reading.
    if (c.res.writableLength + Buffer.byteLength(frame) > this.opts.maxBufferBytes) {
      this.slow++;
      this.log.warn({ buffered: c.res.writableLength, limit: this.opts.maxBufferBytes }, 'dashboard: disconnecting an event-stream client that does not read');
      c.ended = true;
      c.res.destroy();
      this.detach(c);
      return;
    }
    c.res.write(frame);
  }

  private end(c: Client): void {
    if (!c.ended) {
      c.ended = true;
      c.res.end();
    }
    this.detach(c);
  }

  private detach(c: Client): void {
    if (c.endTimer !== null) clearTimeout(c.endTimer);
    c.endTimer = null;
    c.ended = true;
    if (this.clients.delete(c) && this.clients.size === 0) this.stop();
  }
}
