// The JSON shapes of sessions and their events, as the API and `countersign sessions --json` give them.
// Schema first: the OpenAPI description and docs/cli.md come from these. Times are ISO 8601 UTC.
import { z } from 'zod';
import { EVENT_KINDS } from '../../model/event.js';
import { HIT_LEVELS, RISK_LEVELS } from '../../model/risk.js';
import { CLOSE_REASONS, LINKS, SESSION_STATUSES } from '../../model/session.js';

const iso = z.iso.datetime().describe('ISO 8601, UTC');

export const authSchema = z
  .object({
    method: z.string(),
    keyType: z.string().optional(),
    fingerprint: z.string().optional(),
    certId: z.string().optional(),
    certSerial: z.string().optional(),
    caFingerprint: z.string().optional(),
  })
  .describe('How the login was authenticated, where the program said');

export const riskSchema = z
  .object({
    score: z.number().int().min(0).max(100).describe('0–100 from the rule hits (docs/rules.md, "Risk")'),
    level: z.enum(RISK_LEVELS).describe("The highest level among the hits; 'none' without hits"),
    hits: z
      .array(
        z.object({
          rule: z.string().describe('The rule id'),
          seq: z.number().int().describe('The record whose event hit (its tlog leaf index)'),
          level: z.enum(HIT_LEVELS),
          title: z.string().describe("The rule's title (its id when the rule is no longer loaded)"),
        }),
      )
      .describe('One per rule and record, in record order'),
  })
  .describe("The session's risk from the rules its events hit");

export const sessionSchema = z
  .object({
    id: z.number().int().describe('The seq of the record that opened the session'),
    host: z.string(),
    user: z.string().nullable().describe('The login identity'),
    origin: z.string().nullable().describe('Where the login came from'),
    originPort: z.number().int().nullable(),
    auth: authSchema.nullable(),
    tty: z.string().nullable(),
    startedAt: iso,
    endedAt: iso.nullable(),
    lastActivity: iso,
    status: z.enum(SESSION_STATUSES),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    eventCount: z.number().int(),
    commandCount: z.number().int().describe('Commands run, including through sudo'),
    privilegeCount: z.number().int().describe('su/sudo steps, successful or refused'),
    weakCount: z.number().int().describe('Events tied by host, user and time only (shown as weak links)'),
    deviceType: z.string(),
    risk: riskSchema,
  })
  .describe('One operator session');

export const sessionEventSchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int().describe("The record's seq (its tlog leaf index)"),
    time: iso,
    kind: z.enum(EVENT_KINDS),
    action: z.string().nullable(),
    user: z.string().nullable(),
    targetUser: z.string().nullable(),
    effectiveUser: z.string().nullable().describe('Who the event acted as'),
    command: z.string().nullable(),
    cwd: z.string().nullable(),
    tty: z.string().nullable(),
    remote: z.string().nullable(),
    reason: z.string().nullable(),
    parser: z.string(),
    link: z.enum(LINKS).nullable(),
    why: z.string().nullable().describe('Why the event was tied to this session'),
    raw: z.string().describe('The record as received; hostile text: escape before display'),
    hits: z.array(z.string()).describe('The ids of the rules this event hit'),
    explain: z.string().nullable().describe('What the command does, in one line, when the learning table knows it'),
  })
  .describe('One event of a session timeline');

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) });
export const sessionDetailSchema = z.object({ session: sessionSchema, events: z.array(sessionEventSchema) });

export const sessionListQuerySchema = z.strictObject({
  host: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type SessionJson = z.infer<typeof sessionSchema>;
export type SessionEventJson = z.infer<typeof sessionEventSchema>;
