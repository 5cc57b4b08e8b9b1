// Test helpers for the alert stage: a complete alert for sink and rendering tests, hits written into a
// store the way the deriver writes them (events and rule_hits through the derived store), and a router
// over a data directory with the injected clock and a quiet logger.
import { pino } from 'pino';
import { AlertRouter } from '../../src/alerts/router.js';
import type { Alert, RouteConfig } from '../../src/alerts/types.js';
import type { Clock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/load.js';
import type { Event } from '../../src/model/event.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { openDerivedStore } from '../../src/store/index.js';
import type { Registry } from '../../src/pipeline/metrics.js';

export const testAlert = (over: Partial<Alert> = {}): Alert => ({
  id: 17,
  kind: 'alert',
  route: 'ops',
  rule: 'history-tampering',
  title: 'Shell history tampering',
  level: 'high',
  why: 'Clearing the history hides what was done.',
  host: 'vm',
  user: 'cs-alice',
  session: 42,
  command: 'bash -c history -c',
  seq: 7,
  time: Date.UTC(2026, 10, 29, 20, 28, 41),
  count: 1,
  url: 'https://cs.example.net/sessions/42',
  items: [],
  ...over,
});

export interface TestHit {
  readonly rule?: string;
  readonly level?: string;
  readonly host?: string;
  readonly session?: number | null;
  readonly user?: string;
  readonly command?: string;
  readonly time?: number;
}

/** Writes events with their rule hits as the derive stage does (one transaction per call). */
export class HitWriter {
  private readonly store;
  private nextId: number;

  constructor(dataDir: string) {
    this.store = openDerivedStore(dataDir);
    this.nextId = this.store.nextEventId();
  }

  /** One event per hit; returns the event ids. */
  write(hits: readonly TestHit[]): number[] {
    const events: { id: number; event: Event }[] = [];
    const rows = hits.map((h) => {
      const id = this.nextId++;
      const event: Event = { seq: id, time: h.time ?? 1_795_984_121_000, host: h.host ?? 'vm', kind: 'command', user: h.user ?? 'cs-alice', command: h.command ?? 'bash -c history -c', hints: {}, parser: 'snoopy@1' };
      events.push({ id, event });
      return { eventId: id, rule: h.rule ?? 'history-tampering', seq: id, sessionId: h.session === undefined ? 42 : h.session, host: event.host, level: h.level ?? 'high', time: event.time };
    });
    this.store.write({ events, attributions: [], rematched: [], hits: rows, risks: [], sessions: [], counters: new Map(), cursor: -1, now: 0 });
    return events.map((e) => e.id);
  }

  /** What the deriver does when a session adopts an orphan: the event's hits are dropped and written again. */
  rematch(eventId: number, hits: readonly TestHit[]): void {
    const rows = hits.map((h) => ({ eventId, rule: h.rule ?? 'history-tampering', seq: eventId, sessionId: h.session === undefined ? 42 : h.session, host: h.host ?? 'vm', level: h.level ?? 'high', time: h.time ?? 1_795_984_121_000 }));
    this.store.write({ events: [], attributions: [], rematched: [eventId], hits: rows, risks: [], sessions: [], counters: new Map(), cursor: -1, now: 0 });
  }

  close(): void {
    this.store.close();
  }
}

export const quietLog = () => pino({ level: 'silent' });

/** Routes as the configuration loader makes them (defaults applied). */
export const routesOf = (routes: readonly Record<string, unknown>[], publicUrl?: string) =>
  parseConfig({ alerts: { routes, ...(publicUrl !== undefined ? { publicUrl } : {}) } }).alerts;

export const routerFor = (dataDir: string, routes: readonly Record<string, unknown>[], clock: Clock, o: { publicUrl?: string; registry?: Registry } = {}): AlertRouter =>
  new AlertRouter({
    dataDir,
    config: routesOf(routes, o.publicUrl),
    rules: loadRuleSet({ builtin: true }).set.rules,
    clock,
    log: quietLog(),
    ...(o.registry !== undefined ? { registry: o.registry } : {}),
  });

export type { RouteConfig };
