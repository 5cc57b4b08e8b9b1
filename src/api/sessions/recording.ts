// A session's terminal recording (tlog chunks attached to it) as an asciicast v2 document, for the
// player and for `session show --recording`. The chunks are reassembled in id order whatever order
// they arrived in; gaps and damaged timing are reported by the reassembler, not hidden.
import type { TtyChunk } from '../../model/event.js';
import type { SessionDetail } from '../../model/session-view.js';
import { reassemble, toAsciicastText, type ReassembledRecording } from '../../parsers/body/tlog-rec/recording.js';

/** The session's recordings, one per tlog recording id, oldest first. */
export const sessionRecordings = (d: SessionDetail): ReassembledRecording[] => {
  const byRec = new Map<string, TtyChunk[]>();
  for (const e of d.events) {
    const c = e.event.recording;
    if (e.kind !== 'tty_io' || c === undefined) continue;
    byRec.set(c.rec, [...(byRec.get(c.rec) ?? []), c]);
  }
  const out: ReassembledRecording[] = [];
  for (const chunks of byRec.values()) {
    const r = reassemble(chunks, { timestamp: Math.floor(d.session.startedAt / 1000) });
    if (r.ok) out.push(r.value);
  }
  return out;
};

/** The first recording as asciicast v2 text, or null when the session has none. */
export const sessionAsciicast = (d: SessionDetail): string | null => {
  const first = sessionRecordings(d)[0];
  return first === undefined ? null : toAsciicastText(first.asciicast);
};
