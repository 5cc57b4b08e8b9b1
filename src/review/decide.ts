// Which review a session needs under the policy: the first rule whose `when` matches decides the
// requirement, the due time, sampling, and whether a read-only session is approved by the policy itself.
// Pure: the session's facts in, a decision out.
import { createHash } from 'node:crypto';
import { EVERY_REVIEWER, riskRank, type Policy, type PolicyRule, type Requirement } from './policy.js';

export interface SessionFacts {
  readonly id: number;
  readonly host: string;
  readonly user: string | null;
  readonly deviceType: string;
  readonly riskLevel: string;
  readonly status: 'open' | 'closed';
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Every command line the session ran (commands and privilege steps). */
  readonly commands: readonly string[];
}

export interface Decision {
  /** The policy rule that decided; null when none matched (no review needed). */
  readonly policy: string | null;
  /** Empty: no review required. */
  readonly required: readonly Requirement[];
  readonly dueAt: number | null;
  /** The allowlist that approves this session by itself, when it applies. */
  readonly autoApprove: string | null;
  /** Why, in a sentence, for the session page. */
  readonly why: string;
}

const anyMatch = (patterns: readonly RegExp[] | undefined, v: string | null): boolean => v !== null && (patterns ?? []).some((p) => p.test(v));

const matches = (policy: Policy, r: PolicyRule, s: SessionFacts): boolean => {
  const w = r.when;
  if (w.risk !== undefined && !w.risk.includes(s.riskLevel as never)) return false;
  if (w.minRisk !== undefined && riskRank(s.riskLevel) < riskRank(w.minRisk)) return false;
  if (w.deviceType !== undefined && !w.deviceType.includes(s.deviceType)) return false;
  if (w.hostGroup !== undefined && !w.hostGroup.some((g) => anyMatch(policy.hostGroups.get(g), s.host))) return false;
  if (w.userGroup !== undefined && !w.userGroup.some((g) => anyMatch(policy.userGroups.get(g), s.user))) return false;
  return true;
};

/** Stable per session and rule: the same session is always in or always out of the sample. */
export const sampled = (ruleName: string, sessionId: number, rate: number): boolean => {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const h = createHash('sha256').update(`${ruleName}\u0000${sessionId}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
};

export const decide = (policy: Policy, s: SessionFacts): Decision => {
  const rule = policy.rules.find((r) => matches(policy, r, s));
  if (rule === undefined) return { policy: null, required: [], dueAt: null, autoApprove: null, why: 'no policy rule matches this session' };
  const required: Requirement[] = typeof rule.require === 'number' ? (rule.require > 0 ? [{ group: EVERY_REVIEWER, count: rule.require }] : []) : rule.require;
  if (required.length === 0) return { policy: rule.name, required: [], dueAt: null, autoApprove: null, why: `policy '${rule.name}' requires no approval` };
  if (!sampled(rule.name, s.id, rule.sample))
    return { policy: rule.name, required: [], dueAt: null, autoApprove: null, why: `policy '${rule.name}' samples ${Math.round(rule.sample * 100)}% of such sessions; this one was not drawn` };
  const dueAt = (s.endedAt ?? s.startedAt) + (rule.dueHours ?? policy.dueHours) * 3_600_000;
  const list = rule.autoApprove === undefined ? undefined : policy.allowlists.get(rule.autoApprove);
  // Only a finished session can be routine: an open one may still run anything.
  const routine = list !== undefined && s.status === 'closed' && s.commands.length > 0 && s.commands.every((c) => list.some((re) => re.test(c)));
  const need = required.map((q) => `${q.count} from ${q.group}`).join(' and ');
  return {
    policy: rule.name,
    required,
    dueAt,
    autoApprove: routine ? rule.autoApprove! : null,
    why: routine ? `every command is on the read-only allowlist '${rule.autoApprove}' of policy '${rule.name}'` : `policy '${rule.name}' requires ${need}`,
  };
};
