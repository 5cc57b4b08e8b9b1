// A session's review state from its policy decision and its review actions (DESIGN §6). Pure.
// Approvals count only while the session is as they saw it (same event count and digest); each
// approver fills at most one requirement slot, assigned by bipartite matching, so "one peer AND one
// lead" needs two people even when the lead is also a peer.
import type { Requirement } from './policy.js';

export const REVIEW_STATES = ['needs_review', 'flagged', 'approved', 'not_required'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ACTIONS = ['view', 'replay', 'comment', 'approve', 'flag', 'resolve'] as const;
export type ReviewActionKind = (typeof REVIEW_ACTIONS)[number];

/** Approvals given by a policy allowlist carry this actor prefix. */
export const POLICY_ACTOR = 'policy:';

export interface ReviewAction {
  readonly seq: number;
  readonly action: ReviewActionKind;
  readonly user: string;
  readonly at: number;
  readonly digest: string | null;
  readonly eventCount: number | null;
  readonly eventId: number | null;
  readonly body: string | null;
}

export interface Current {
  readonly eventCount: number;
  /** The session's digest now, when the caller computed it; otherwise event counts decide. */
  readonly digest?: string;
}

export interface ApprovalView {
  readonly user: string;
  readonly at: number;
  readonly digest: string | null;
  /** False: given on an earlier state of the session; it no longer counts. */
  readonly current: boolean;
  readonly seq: number;
}

export interface ReviewStatus {
  readonly state: ReviewState;
  readonly required: readonly (Requirement & { readonly have: number })[];
  readonly approvals: readonly ApprovalView[];
  /** Approvals that count now (distinct users with a current approval). */
  readonly approvalCount: number;
  readonly needed: number;
  readonly changedSinceApproval: boolean;
  readonly flagOpen: boolean;
  readonly approvedByPolicy: string | null;
}

const isCurrent = (a: ReviewAction, cur: Current): boolean =>
  a.eventCount === cur.eventCount && (cur.digest === undefined || a.digest === null || a.digest === cur.digest);

/** Kuhn's augmenting paths: approvers to requirement slots, each approver at most one slot. */
const fill = (required: readonly Requirement[], approvers: readonly string[], inGroup: (user: string, group: string) => boolean): number[] => {
  const slots: number[] = [];
  required.forEach((q, i) => {
    for (let k = 0; k < q.count; k++) slots.push(i);
  });
  const owner = new Array<number>(slots.length).fill(-1);
  const tryAssign = (u: number, seen: boolean[]): boolean => {
    for (let s = 0; s < slots.length; s++) {
      if (seen[s] || !inGroup(approvers[u]!, required[slots[s]!]!.group)) continue;
      seen[s] = true;
      if (owner[s] === -1 || tryAssign(owner[s]!, seen)) {
        owner[s] = u;
        return true;
      }
    }
    return false;
  };
  for (let u = 0; u < approvers.length; u++) tryAssign(u, new Array<boolean>(slots.length).fill(false));
  const have = required.map(() => 0);
  owner.forEach((o, s) => {
    if (o !== -1) have[slots[s]!]! += 1;
  });
  return have;
};

export const reviewStatus = (
  required: readonly Requirement[],
  actions: readonly ReviewAction[],
  cur: Current,
  inGroup: (user: string, group: string) => boolean,
): ReviewStatus => {
  const ordered = [...actions].sort((a, b) => a.seq - b.seq);
  let flagOpen = false;
  for (const a of ordered) {
    if (a.action === 'flag') flagOpen = true;
    else if (a.action === 'resolve') flagOpen = false;
  }
  // A user's latest approval is theirs; earlier ones are history.
  const latest = new Map<string, ReviewAction>();
  for (const a of ordered) if (a.action === 'approve') latest.set(a.user, a);
  const approvals: ApprovalView[] = ordered
    .filter((a) => a.action === 'approve')
    .map((a) => ({ user: a.user, at: a.at, digest: a.digest, seq: a.seq, current: latest.get(a.user) === a && isCurrent(a, cur) }));
  const counting = approvals.filter((a) => a.current);
  const byPolicy = counting.find((a) => a.user.startsWith(POLICY_ACTOR));
  const people = counting.filter((a) => !a.user.startsWith(POLICY_ACTOR)).map((a) => a.user);
  const have = fill(required, people, inGroup);
  const needed = required.reduce((n, q) => n + q.count, 0);
  const met = required.every((q, i) => have[i]! >= q.count);
  const changedSinceApproval = approvals.some((a) => !a.current && latest.get(a.user)?.seq === a.seq);
  const state: ReviewState = flagOpen ? 'flagged' : byPolicy !== undefined || (required.length > 0 && met) ? 'approved' : required.length === 0 ? 'not_required' : 'needs_review';
  return {
    state,
    required: required.map((q, i) => ({ ...q, have: have[i]! })),
    approvals,
    approvalCount: people.length,
    needed,
    changedSinceApproval,
    flagOpen,
    approvedByPolicy: byPolicy === undefined ? null : byPolicy.user.slice(POLICY_ACTOR.length),
  };
};
