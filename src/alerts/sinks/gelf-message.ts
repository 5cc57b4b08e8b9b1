// An alert as a GELF 1.1 message (Graylog), and the GELF UDP chunking: a datagram over 8192 bytes is
// split into chunks (magic 0x1e 0x0f, 8-byte message id, sequence number, count) of at most 8192 bytes,
// 128 chunks at most. Pure.
import { alertHeadline, alertText } from '../render.js';
import type { Alert } from '../types.js';
import { SEVERITY } from './syslog-message.js';

export const GELF_CHUNK_BYTES = 8192;
export const GELF_CHUNK_HEADER = 12;
export const GELF_MAX_CHUNKS = 128;
const MAGIC = [0x1e, 0x0f] as const;

/** GELF's own fields plus ours, each `_` + a name matching ^[\w.-]+$ (never `_id`); absent values are left out. */
export const gelfMessage = (a: Alert, collector: string): Record<string, string | number> => {
  const out: Record<string, string | number> = {
    version: '1.1',
    host: a.host ?? collector,
    short_message: alertHeadline(a),
    full_message: alertText(a),
    timestamp: a.time / 1000,
    level: SEVERITY[a.level],
    _alert_id: a.id,
    _alert_kind: a.kind,
    _route: a.route,
    _rule_level: a.level,
    _count: a.count,
    _collector: collector,
  };
  const opt: [string, string | number | null][] = [
    ['_rule', a.rule],
    ['_title', a.title],
    ['_session', a.session],
    ['_user', a.user],
    ['_command', a.command],
    ['_seq', a.seq],
    ['_url', a.url],
  ];
  for (const [k, v] of opt) if (v !== null) out[k] = v;
  return out;
};

/** The datagrams of one UDP message: itself when it fits, else its chunks. */
export const gelfChunks = (payload: Buffer, messageId: Buffer): Buffer[] => {
  if (payload.length <= GELF_CHUNK_BYTES) return [payload];
  const size = GELF_CHUNK_BYTES - GELF_CHUNK_HEADER;
  const n = Math.ceil(payload.length / size);
  if (n > GELF_MAX_CHUNKS) throw new Error(`GELF message of ${payload.length} bytes needs ${n} chunks, more than ${GELF_MAX_CHUNKS}`);
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const part = payload.subarray(i * size, (i + 1) * size);
    const header = Buffer.from([...MAGIC, ...messageId.subarray(0, 8), i, n]);
    out.push(Buffer.concat([header, part]));
  }
  return out;
};
