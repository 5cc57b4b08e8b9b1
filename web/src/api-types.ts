// The JSON shapes of docs/review-api.md, as the UI reads them. Every string in here that came from a device,
// a host or a person is hostile: render it through <Hostile/>, never as HTML, never in href/src/style.
import type { SessionEventJson, SessionJson } from '../../src/api/sessions/schema.ts';

export const REVIEW_STATES = ['needs_review', 'flagged', 'approved', 'not_required'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const RISK_LEVELS = ['none', 'informational', 'low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly name: string;
  readonly role: Role;
  readonly totpEnabled: boolean;
  readonly totpRequired: boolean;
  readonly mustChangePassword: boolean;
  readonly identities: readonly { readonly username: string; readonly deviceType: string }[];
}

export interface Me {
  readonly user: User;
  readonly csrf: string;
}

// Sessions and events: the server's own schema types (src/api/sessions/schema.ts), so the UI cannot drift
// from what the API sends. Type-only: nothing of zod reaches the bundle.
export type LoginAuth = NonNullable<SessionJson['auth']>;
export type Risk = SessionJson['risk'];
export type RuleHit = Risk['hits'][number];
export type Session = SessionJson;
export type SessionEvent = SessionEventJson;

export interface SessionDetail {
  readonly session: Session;
  readonly events: readonly SessionEvent[];
}

export interface ReviewSummary {
  readonly state: ReviewState;
  readonly policy: string | null;
  readonly required: readonly { readonly group: string; readonly count: number }[];
  readonly approvals: number;
  readonly needed: number;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly changedSinceApproval: boolean;
}

export interface QueueItem {
  readonly session: Session;
  readonly review: ReviewSummary;
}

export interface QueueAnswer {
  readonly counts: Readonly<Record<ReviewState | 'overdue' | 'total', number>>;
  readonly sessions: readonly QueueItem[];
}

export const REVIEW_ACTIONS = ['view', 'replay', 'comment', 'approve', 'flag', 'resolve'] as const;
export type ReviewActionKind = (typeof REVIEW_ACTIONS)[number];

export interface ReviewAction {
  readonly seq: number;
  readonly action: ReviewActionKind;
  readonly user: string;
  readonly at: string;
  readonly eventId: number | null;
  readonly body: string | null;
  readonly digest: string | null;
}

export interface Review {
  readonly state: ReviewState;
  readonly policy: string | null;
  /** Why the policy decided what it did ("policy 'x' requires 2"). */
  readonly why?: string;
  /** Set when the session was approved by a policy's read-only allowlist, not by people. */
  readonly approvedByPolicy?: string | null;
  readonly required: readonly { readonly group: string; readonly count: number; readonly have: number }[];
  readonly approvals: readonly { readonly user: string; readonly at: string; readonly digest: string; readonly current: boolean }[];
  readonly digest: string;
  readonly changedSinceApproval: boolean;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly you: {
    readonly canApprove: boolean;
    readonly canFlag: boolean;
    readonly canResolve: boolean;
    readonly canComment: boolean;
    readonly whyNot: string | null;
  };
}

export interface ReviewAnswer {
  readonly review: Review;
  readonly actions: readonly ReviewAction[];
}

export interface RecordProof {
  readonly index: number;
  readonly size: number;
  readonly entry: string;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly checkpoint: string;
}

export interface QueueFilters {
  readonly state?: ReviewState | 'all';
  readonly risk?: RiskLevel;
  readonly host?: string;
  readonly deviceType?: string;
  readonly user?: string;
  readonly from?: string;
  readonly to?: string;
  readonly q?: string;
}

/** One high-risk rule hit as the dashboard shows it (GET /api/v1/dashboard, `event: hit` of its stream). */
export interface DashboardHit {
  /** The hit's place in the store's order: the stream's event id. */
  readonly id: number;
  readonly eventId: number;
  readonly rule: string;
  readonly title: string;
  readonly level: string;
  readonly host: string;
  readonly user: string | null;
  readonly command: string | null;
  readonly kind: string | null;
  readonly time: string;
  readonly seq: number;
  readonly sessionId: number | null;
}

export interface DashboardSession {
  readonly id: number;
  readonly host: string;
  readonly user: string | null;
  readonly origin: string | null;
  readonly tty: string | null;
  readonly deviceType: string;
  readonly startedAt: string;
  readonly lastActivity: string;
  readonly risk: { readonly score: number; readonly level: string };
}

export interface DashboardWaiting extends DashboardSession {
  readonly waitingSince: string;
  readonly waitingSeconds: number;
  readonly dueAt: string | null;
  readonly overdue: boolean;
}

export interface DashboardSeries {
  readonly key: string;
  readonly title?: string;
  readonly total: number;
  readonly counts: readonly number[];
}

/** Alert delivery of one route (src/alerts/health.ts). */
export interface AlertRouteHealth {
  readonly route: string;
  /** null: a route no longer configured that still has alerts on record. */
  readonly sink: 'webhook' | 'email' | 'syslog' | 'gelf' | null;
  readonly delivered: number;
  /** Not delivered yet and not given up (retrying, rate-limited, counting repeats). */
  readonly pending: number;
  /** Of pending: held by the rate limit for the next summary. */
  readonly held: number;
  /** Given up. */
  readonly failed: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly lastDeliveredAt: string | null;
  readonly oldestPendingAt: string | null;
}

export interface DashboardSnapshot {
  readonly generatedAt: string;
  readonly openSessions: { readonly count: number; readonly sessions: readonly DashboardSession[] };
  readonly review: {
    readonly awaiting: number;
    readonly overdue: number;
    readonly flagged: number;
    readonly oldest: DashboardWaiting | null;
    readonly flaggedSessions: readonly DashboardWaiting[];
  };
  readonly highRisk: { readonly levels: readonly string[]; readonly lastHour: number; readonly last24h: number; readonly recent?: readonly DashboardHit[] };
  readonly hits: { readonly hours: number; readonly bucketSeconds: number; readonly from: string; readonly byRule: readonly DashboardSeries[]; readonly byHost: readonly DashboardSeries[] };
  /** null: this server sends no alerts (yet). */
  readonly alerts: { readonly routes: readonly AlertRouteHealth[] } | null;
  readonly tlog: {
    readonly treeSize: number;
    readonly checkpoint: { readonly size: number; readonly createdAt: string; readonly ageSeconds: number; readonly unsigned: number; readonly stale: boolean } | null;
  };
  readonly derive: { readonly cursor: number; readonly lagRecords: number; readonly updatedAt: string | null };
  readonly stream: { readonly lastHitId: number };
}
