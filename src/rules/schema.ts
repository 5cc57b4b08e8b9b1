// The shape of a rule file (one rule per YAML file), as zod: the edge where operators' text comes in.
// Selections are checked further by compile.ts (field names, modifiers, patterns) with the line.
import { z } from 'zod';
import { AUTH_METHODS, EVENT_KINDS } from '../model/event.js';
import { HIT_LEVELS, type HitLevel } from '../model/risk.js';
import { CLOSE_REASONS, SESSION_STATUSES } from '../model/session.js';

/** A rule's level, lowest first (the levels of its hits: model/risk.ts). */
export const RULE_LEVELS = HIT_LEVELS;
export type RuleLevel = HitLevel;

/** Field spec modifiers: how a field's value is compared with the rule's values. */
export const MODIFIERS = ['equals', 'contains', 'startswith', 'endswith', 're', 'cidr'] as const;
export type Modifier = (typeof MODIFIERS)[number];

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type RuleValue = z.infer<typeof scalar>;

/** `field` or `field|modifier` or `field|modifier|all` → a value, or a list of values (any of them matches). */
export const selectionSchema = z.record(z.string().min(1), z.union([scalar, z.array(scalar).min(1, 'a list of values must not be empty')]));

const optStr = z.string().optional();
const sessionPartialSchema = z.strictObject({
  id: z.number().int().optional(),
  host: optStr,
  user: z.string().nullable().optional(),
  origin: z.string().nullable().optional(),
  originPort: z.number().int().nullable().optional(),
  tty: z.string().nullable().optional(),
  startedAt: z.number().optional(),
  endedAt: z.number().nullable().optional(),
  lastActivity: z.number().optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  closeReason: z.enum(CLOSE_REASONS).nullable().optional(),
  eventCount: z.number().int().optional(),
  commandCount: z.number().int().optional(),
  privilegeCount: z.number().int().optional(),
  weakCount: z.number().int().optional(),
  deviceType: optStr,
});

/** An example: a partial Event (kind required; seq, time, host, hints and parser get defaults) plus an optional partial Session. */
export const exampleSchema = z.strictObject({
  seq: z.number().int().optional(),
  time: z.number().optional(),
  host: optStr,
  kind: z.enum(EVENT_KINDS),
  action: optStr,
  user: optStr,
  targetUser: optStr,
  command: optStr,
  cwd: optStr,
  tty: optStr,
  remote: optStr,
  remotePort: z.number().int().optional(),
  auth: z
    .strictObject({ method: z.enum(AUTH_METHODS), keyType: optStr, fingerprint: optStr, certId: optStr, certSerial: optStr, caFingerprint: optStr })
    .optional(),
  reason: optStr,
  hints: z
    .strictObject({
      auditSession: optStr, logindSession: optStr, sshConn: optStr, sshdPid: optStr, tty: optStr, tlogRec: optStr,
      tacacsTaskId: optStr, proxySession: optStr, devicePid: optStr, pid: optStr,
    })
    .optional(),
  parser: optStr,
  keystrokes: optStr,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  session: sessionPartialSchema.optional(),
});
export type RuleExample = z.infer<typeof exampleSchema>;

export const ruleFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case (lowercase letters, digits, single hyphens)'),
  title: z.string().min(1),
  description: z.string().min(1),
  why: z.string().min(1),
  level: z.enum(RULE_LEVELS),
  tags: z.array(z.string().min(1)).default([]),
  selections: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a selection name is letters, digits and _ (not starting with a digit)'),
    selectionSchema,
  ),
  condition: z.string().min(1),
  examples: z.strictObject({
    match: z.array(exampleSchema).default([]),
    nomatch: z.array(exampleSchema).default([]),
  }),
});
export type RuleFile = z.infer<typeof ruleFileSchema>;
