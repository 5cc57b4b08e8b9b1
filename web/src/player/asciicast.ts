// Reads an asciicast v2 document (NDJSON: a header object, then [time, code, data] per line) as the
// recording endpoint serves it. Hostile input: bad lines are counted and skipped, sizes are clamped, and
// nothing here interprets the data — only the terminal emulator does, inside its box.
export interface CastEvent {
  readonly t: number;
  readonly code: 'o' | 'i' | 'r';
  readonly data: string;
}

export interface Cast {
  readonly width: number;
  readonly height: number;
  /** Recording start, ms since the epoch, when the header says. */
  readonly startMs: number | null;
  /** Events in time order. */
  readonly events: readonly CastEvent[];
  readonly duration: number;
  /** Lines that were not events (skipped). */
  readonly skipped: number;
}

export const MAX_COLS = 300;
export const MAX_ROWS = 100;

const clamp = (n: unknown, lo: number, hi: number, dflt: number): number => (typeof n === 'number' && Number.isFinite(n) && n >= lo ? Math.min(Math.floor(n), hi) : dflt);

/** Parses "WxH" (a resize event), clamped; null when malformed. */
export const parseSize = (data: string): { cols: number; rows: number } | null => {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(data);
  if (m === null) return null;
  return { cols: clamp(Number(m[1]), 2, MAX_COLS, 80), rows: clamp(Number(m[2]), 2, MAX_ROWS, 24) };
};

export const parseCast = (text: string): Cast | string => {
  const lines = text.split('\n');
  let header: { width?: unknown; height?: unknown; timestamp?: unknown; version?: unknown };
  try {
    header = JSON.parse(lines[0] ?? '') as typeof header;
  } catch {
    return 'the recording does not start with an asciicast header';
  }
  if (typeof header !== 'object' || header === null || header.version !== 2) return 'not an asciicast v2 recording';
  const events: CastEvent[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (Array.isArray(v) && typeof v[0] === 'number' && Number.isFinite(v[0]) && v[0] >= 0 && (v[1] === 'o' || v[1] === 'i' || v[1] === 'r') && typeof v[2] === 'string')
        events.push({ t: v[0], code: v[1], data: v[2] });
      else skipped++;
    } catch {
      skipped++;
    }
  }
  events.sort((a, b) => a.t - b.t); // stable: same-time events keep their order
  const ts = header.timestamp;
  return {
    width: clamp(header.width, 2, MAX_COLS, 80),
    height: clamp(header.height, 2, MAX_ROWS, 24),
    startMs: typeof ts === 'number' && Number.isFinite(ts) && ts > 0 ? ts * 1000 : null,
    events,
    duration: events.length === 0 ? 0 : (events[events.length - 1] as CastEvent).t,
    skipped,
  };
};

/** Index of the first event after time t (binary search). */
export const eventsUntil = (events: readonly CastEvent[], t: number): number => {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((events[mid] as CastEvent).t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
