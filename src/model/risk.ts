// A session's risk as the CLI, the API and the web UI show it: a score and a level from the rule hits of
// its events (formula: src/rules/risk.ts, docs/rules.md). Isomorphic: no node:* imports, shared with web/.

/** A rule's level, lowest first: stored with each hit. */
export const HIT_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type HitLevel = (typeof HIT_LEVELS)[number];

/** A session's level: the highest level among its hits, or 'none' without hits. */
export const RISK_LEVELS = ['none', ...HIT_LEVELS] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One rule matching one record of the session. */
export interface RiskHit {
  readonly rule: string;
  /** The seq of the record whose event matched (its tlog leaf index). */
  readonly seq: number;
  readonly level: HitLevel;
  /** The rule's title; its id when the rule is no longer loaded. */
  readonly title: string;
}

export interface SessionRisk {
  /** 0–100. */
  readonly score: number;
  readonly level: RiskLevel;
  /** Every (rule, record) that hit, in record order. */
  readonly hits: readonly RiskHit[];
}

export const NO_RISK: SessionRisk = Object.freeze({ score: 0, level: 'none', hits: Object.freeze([]) as readonly RiskHit[] });

export const isHitLevel = (s: string): s is HitLevel => (HIT_LEVELS as readonly string[]).includes(s);
export const isRiskLevel = (s: string): s is RiskLevel => (RISK_LEVELS as readonly string[]).includes(s);
