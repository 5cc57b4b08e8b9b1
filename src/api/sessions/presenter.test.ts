import { describe, expect, it } from 'vitest';
import type { SessionEvent, SessionView } from '../../model/session-view.js';
import { openApiDocument } from '../openapi.js';
import { presentEvent, presentSession } from './presenter.js';
import { sessionDetailSchema, sessionEventSchema, sessionSchema } from './schema.js';

const T = Date.UTC(2026, 10, 29, 20, 43, 12);
const session: SessionView = {
  id: 30, host: 'cs-linux-host', user: 'cs-bob', origin: '127.0.0.1', originPort: 36564, auth: { method: 'publickey', keyType: 'ED25519' }, tty: 'pts/2',
  startedAt: T, endedAt: T + 6000, lastActivity: T + 6000, status: 'closed', closeReason: 'logout', eventCount: 15, commandCount: 7, privilegeCount: 4,
  weakCount: 2, deviceType: 'linux',
  risk: {
    score: 55,
    level: 'high',
    hits: [
      { rule: 'interactive-root-shell', seq: 66, level: 'high', title: 'Interactive root shell' },
      { rule: 'su-sudo-to-root', seq: 66, level: 'low', title: 'Privilege raised to root (su, sudo, enable)' },
    ],
  },
};
const event: SessionEvent = {
  id: 40, seq: 66, time: T + 4000, kind: 'privilege', action: 'sudo', user: 'cs-bob', targetUser: 'root', effectiveUser: 'root', command: '/bin/bash', cwd: '/root',
  tty: 'pts/2', remote: null, reason: null, parser: 'sudo@1', link: 'strong', why: 'tty pts/2', raw: '<85>… COMMAND=/bin/bash',
  hits: ['interactive-root-shell', 'su-sudo-to-root'],
  event: { seq: 66, time: T + 4000, host: 'cs-linux-host', kind: 'privilege', hints: {}, parser: 'sudo@1' },
};

describe('session presenter', () => {
  it('gives the session its risk: score, level and the hits with rule titles', () => {
    const json = presentSession(session);
    expect(json.risk).toEqual(session.risk);
    expect(json.startedAt).toBe('2026-11-29T20:43:12.000Z');
    expect(sessionSchema.strict().parse(json)).toEqual(json);
  });

  it('gives each event the ids of the rules it hit, and leaves the whole event out', () => {
    const json = presentEvent(event);
    expect(json.hits).toEqual(['interactive-root-shell', 'su-sudo-to-root']);
    expect('event' in json).toBe(false);
    expect(sessionEventSchema.strict().parse(json)).toEqual(json);
    expect(sessionDetailSchema.parse({ session: presentSession(session), events: [json] }).events[0]!.hits).toEqual(json.hits);
  });

  it('refuses a risk level outside the closed list', () => {
    const bad = { ...presentSession(session), risk: { ...session.risk, level: 'severe' } };
    expect(sessionSchema.safeParse(bad).success).toBe(false);
  });

  it('describes risk and event hits in the OpenAPI document', () => {
    const doc = JSON.stringify(openApiDocument('0.0.0'));
    const parsed = JSON.parse(doc) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> };
    const detail = parsed.paths['/api/v1/sessions/{id}']!.get.responses['200']!.content['application/json']!.schema as {
      properties: { session: { properties: { risk: { properties: { level: { enum: string[] }; hits: unknown } } } }; events: { items: { properties: { hits: unknown } } } };
    };
    expect(detail.properties.session.properties.risk.properties.level.enum).toEqual(['none', 'informational', 'low', 'medium', 'high', 'critical']);
    expect(detail.properties.events.items.properties.hits).toMatchObject({ type: 'array', items: { type: 'string' } });
  });
});
