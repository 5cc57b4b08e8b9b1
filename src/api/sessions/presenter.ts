// Session and event → their JSON shapes (schema.ts). One place, used by the API and the CLI.
import type { Session } from '../../model/session.js';
import type { SessionEvent } from '../../model/session-view.js';
import type { SessionEventJson, SessionJson } from './schema.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const presentSession = (s: Session): SessionJson => ({
  ...s,
  auth: s.auth === null ? null : { ...s.auth },
  startedAt: iso(s.startedAt),
  endedAt: s.endedAt === null ? null : iso(s.endedAt),
  lastActivity: iso(s.lastActivity),
});

export const presentEvent = (e: SessionEvent): SessionEventJson => {
  const { event: _event, ...rest } = e;
  return { ...rest, time: iso(e.time) };
};
