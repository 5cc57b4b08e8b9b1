// Session and event → their JSON shapes (schema.ts). One place, used by the API and the CLI.
import type { SessionEvent, SessionView } from '../../model/session-view.js';
import type { SessionEventJson, SessionJson } from './schema.js';
import { explainCommand } from '../../review/learn.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const presentSession = (s: SessionView): SessionJson => ({
  ...s,
  auth: s.auth === null ? null : { ...s.auth },
  risk: { score: s.risk.score, level: s.risk.level, hits: s.risk.hits.map((h) => ({ ...h })) },
  startedAt: iso(s.startedAt),
  endedAt: s.endedAt === null ? null : iso(s.endedAt),
  lastActivity: iso(s.lastActivity),
});

export const presentEvent = (e: SessionEvent): SessionEventJson => {
  const { event: _event, ...rest } = e;
  return { ...rest, time: iso(e.time), hits: [...e.hits], explain: explainCommand(e.command) };
};
