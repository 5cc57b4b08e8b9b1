// The alert stage's types: what a route is (from the configuration's one schema), the hit it takes, the
// alert a sink sends, and the one interface every sink implements. No I/O here.
import type { Config } from '../config/schema.js';
import type { HitLevel } from '../model/risk.js';

export type AlertsConfig = Config['alerts'];
export type RouteConfig = AlertsConfig['routes'][number];
export type SinkConfig = RouteConfig['sink'];
export type SinkType = SinkConfig['type'];

/** A rule hit as the router takes it from the store, with what its event says. */
export interface AlertHit {
  readonly eventId: number;
  readonly rule: string;
  readonly seq: number;
  readonly sessionId: number | null;
  readonly host: string;
  readonly level: string;
  readonly time: number;
  readonly user: string | null;
  readonly command: string | null;
}

/** What the router knows of a rule from its file (a rule no longer loaded has only its id). */
export interface RuleInfo {
  readonly title: string;
  readonly why: string;
  readonly tags: readonly string[];
}

export const ALERT_KINDS = ['alert', 'followup', 'summary'] as const;
/** alert: the first hit of a window; followup: "…and N more" when the window closes; summary: alerts held by the rate limit. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** One group of hits a summary stands for. */
export interface SummaryItem {
  readonly rule: string | null;
  readonly host: string | null;
  readonly session: number | null;
  readonly level: HitLevel;
  readonly count: number;
}

/**
 * One alert as a sink sends it. host, user and command come from logs and are hostile: a sink encodes
 * them as data (JSON strings, escaped), never into markup or a template.
 */
export interface Alert {
  /** The outbox row: the same across retries, so a receiver can drop a repeat. */
  readonly id: number;
  readonly kind: AlertKind;
  readonly route: string;
  readonly rule: string | null;
  readonly title: string;
  readonly level: HitLevel;
  readonly why: string;
  readonly host: string | null;
  readonly user: string | null;
  readonly session: number | null;
  readonly command: string | null;
  /** The record of the (first) hit: its tlog leaf index. */
  readonly seq: number | null;
  /** Event time of the (first) hit, ms since the epoch. */
  readonly time: number;
  /** Hits it stands for: 1 for a first alert, all hits of the window for a follow-up, the total for a summary. */
  readonly count: number;
  /** Link to the session page, when alerts.publicUrl is set and the hit has a session. */
  readonly url: string | null;
  /** A summary's groups (the largest first); empty otherwise. */
  readonly items: readonly SummaryItem[];
}

/** Every sink: send resolves once the receiver took the alert (as far as its transport can tell), or rejects with why not. */
export interface AlertSink {
  readonly type: SinkType;
  send(alert: Alert): Promise<void>;
  /** Optional: checks the receiver is reachable without sending an alert. */
  healthcheck?(): Promise<void>;
  /** Drops connections; an alert being sent fails (and stays pending). */
  close(): Promise<void>;
}
