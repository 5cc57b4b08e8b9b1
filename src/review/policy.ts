// The review policy (DESIGN §6): which sessions need review, by whom, and how soon. YAML, schema-checked;
// every problem comes back with its line. The first rule whose `when` matches a session decides.
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { err, ok, type Result } from '../model/result.js';
import { lineAt } from '../rules/yaml-lines.js';

export const RISK_LEVELS = ['none', 'informational', 'low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const riskRank = (l: string): number => Math.max(0, RISK_LEVELS.indexOf(l as RiskLevel));

/** Every reviewer and admin: the group a bare count of approvals is taken from. */
export const EVERY_REVIEWER = 'reviewers';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name: letters, digits, . _ -');
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const requirementSchema = z.strictObject({ group: name, count: z.number().int().min(1).max(20) });

const ruleSchema = z.strictObject({
  name,
  description: z.string().optional(),
  when: z
    .strictObject({
      risk: oneOrMany(z.enum(RISK_LEVELS)).optional().describe('The session risk level is one of these'),
      minRisk: z.enum(RISK_LEVELS).optional().describe('The session risk level is at least this'),
      hostGroup: oneOrMany(name).optional(),
      userGroup: oneOrMany(name).optional(),
      deviceType: oneOrMany(z.string().min(1)).optional(),
    })
    .default({}),
  /** A count of approvals from any reviewer, or approvals from several groups at once. */
  require: z.union([z.number().int().min(0).max(20), z.array(requirementSchema).min(1)], {
    error: 'a number of approvals (0–20), or a list of { group, count }',
  }),
  /** The share of matching sessions that is reviewed (the rest: not required); 1 = all. */
  sample: z.number().min(0).max(1).default(1),
  dueHours: z.number().positive().optional(),
  /** Closed sessions whose every command matches this allowlist are approved by the policy itself. */
  autoApprove: name.optional(),
});

const allowlistSchema = z.strictObject({
  name,
  description: z.string().optional(),
  /** Regular expressions, each matched against the whole command line. */
  commands: z.array(z.string().min(1)).min(1),
});

export const policySchema = z.strictObject({
  /** Countersign users by group name, for requirements like "one peer and one on-call lead". */
  groups: z.record(name, z.array(z.string().min(1))).default({}),
  /** Host name patterns (`*` wildcard) by group name. */
  hostGroups: z.record(name, z.array(z.string().min(1))).default({}),
  /** Login user name patterns (`*` wildcard) by group name. */
  userGroups: z.record(name, z.array(z.string().min(1))).default({}),
  dueHours: z.number().positive().default(24),
  rules: z.array(ruleSchema).default([]),
  allowlists: z.array(allowlistSchema).default([]),
});

export type PolicyInput = z.input<typeof policySchema>;
export type PolicyRule = z.output<typeof ruleSchema>;
export type Requirement = z.output<typeof requirementSchema>;

export interface Policy {
  readonly source: string;
  readonly groups: ReadonlyMap<string, ReadonlySet<string>>;
  readonly hostGroups: ReadonlyMap<string, readonly RegExp[]>;
  readonly userGroups: ReadonlyMap<string, readonly RegExp[]>;
  readonly dueHours: number;
  readonly rules: readonly PolicyRule[];
  readonly allowlists: ReadonlyMap<string, readonly RegExp[]>;
}

export interface PolicyError {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** DESIGN §6: every session with a rule hit needs one approval, critical ones two; the rest none. */
export const DEFAULT_POLICY_YAML = `# Countersign's built-in review policy (DESIGN §6).
rules:
  - name: critical
    description: A critical hit (firmware, audit switched off …) needs two reviewers.
    when: { minRisk: critical }
    require: 2
    dueHours: 4
  - name: risky
    description: Any other rule hit needs one reviewer.
    when: { minRisk: low }
    require: 1
  - name: routine
    description: Sessions without a hit are not sampled by default.
    when: { risk: [none, informational] }
    require: 1
    sample: 0
`;

const glob = (p: string): RegExp => new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

export const parsePolicy = (text: string, file: string): Result<Policy, PolicyError> => {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return err({ file, line: e.linePos?.[0]?.line ?? 1, reason: e.message.split('\n')[0]! });
  }
  const parsed = policySchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    // An unknown key (a typo) explains more than the required key it hides.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys';
    const path = unknownKey ? [...issue.path, issue.keys[0]!] : issue.path;
    return err({ file, line: lineAt(doc, lc, path, unknownKey), reason: `${path.join('.') || '(top level)'}: ${issue.message}` });
  }
  const p = parsed.data;
  const seen = new Set<string>();
  for (const [i, r] of p.rules.entries()) {
    const at = (k: string) => lineAt(doc, lc, ['rules', i, k]);
    if (seen.has(r.name)) return err({ file, line: at('name'), reason: `duplicate rule name '${r.name}'` });
    seen.add(r.name);
    for (const g of r.when.hostGroup ?? []) if (p.hostGroups[g] === undefined) return err({ file, line: at('when'), reason: `unknown host group '${g}'` });
    for (const g of r.when.userGroup ?? []) if (p.userGroups[g] === undefined) return err({ file, line: at('when'), reason: `unknown user group '${g}'` });
    if (Array.isArray(r.require))
      for (const q of r.require) if (q.group !== EVERY_REVIEWER && p.groups[q.group] === undefined) return err({ file, line: at('require'), reason: `unknown group '${q.group}' (define it under groups:, or use '${EVERY_REVIEWER}')` });
    if (r.autoApprove !== undefined && !p.allowlists.some((a) => a.name === r.autoApprove)) return err({ file, line: at('autoApprove'), reason: `unknown allowlist '${r.autoApprove}'` });
  }
  const allowlists = new Map<string, RegExp[]>();
  for (const [i, a] of p.allowlists.entries()) {
    const res: RegExp[] = [];
    for (const [j, c] of a.commands.entries()) {
      try {
        res.push(new RegExp(`^(?:${c})$`, 'u'));
      } catch (e) {
        return err({ file, line: lineAt(doc, lc, ['allowlists', i, 'commands', j]), reason: `not a regular expression: ${(e as Error).message}` });
      }
    }
    allowlists.set(a.name, res);
  }
  return ok({
    source: file,
    groups: new Map(Object.entries(p.groups).map(([k, v]) => [k, new Set(v)])),
    hostGroups: new Map(Object.entries(p.hostGroups).map(([k, v]) => [k, v.map(glob)])),
    userGroups: new Map(Object.entries(p.userGroups).map(([k, v]) => [k, v.map(glob)])),
    dueHours: p.dueHours,
    rules: p.rules,
    allowlists,
  });
};

export const defaultPolicy = (): Policy => {
  const r = parsePolicy(DEFAULT_POLICY_YAML, '(built-in policy)');
  if (!r.ok) throw new Error(`built-in review policy: ${r.error.reason}`);
  return r.value;
};
