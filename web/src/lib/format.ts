// Times, durations and ages as the pages show them: local time for people, the ISO string on hover.
const pad = (n: number): string => String(n).padStart(2, '0');

const parse = (iso: string | null | undefined): Date | null => {
  if (iso === null || iso === undefined) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** 2024-05-01 14:02:07 in local time. */
export const dateTime = (iso: string | null | undefined): string => {
  const d = parse(iso);
  if (d === null) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** 14:02:07 in local time. */
export const clock = (iso: string | null | undefined): string => {
  const d = parse(iso);
  return d === null ? '—' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** 1 h 04 m, 3 m 12 s, 45 s. */
export const duration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${pad(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${pad(m % 60)} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
};

export const between = (from: string | null | undefined, to: string | null | undefined): number => {
  const a = parse(from);
  const b = parse(to);
  return a === null || b === null ? Number.NaN : b.getTime() - a.getTime();
};

/** "3 min ago", "2 h ago", "in 5 h" (for due dates). */
export const age = (ms: number): string => {
  if (!Number.isFinite(ms)) return '—';
  const future = ms < 0;
  const a = Math.abs(ms) / 1000;
  const text = a < 60 ? `${Math.round(a)} s` : a < 3600 ? `${Math.round(a / 60)} min` : a < 172800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
};

export const ageOf = (iso: string | null | undefined, now: number): string => {
  const d = parse(iso);
  return d === null ? '—' : age(now - d.getTime());
};

/** Seconds as m:ss.s for the player. */
export const playerTime = (s: number): string => {
  const t = Math.max(0, s);
  const m = Math.floor(t / 60);
  return `${m}:${(t - m * 60).toFixed(1).padStart(4, '0')}`;
};

/** datetime-local input value (local time) ↔ ISO UTC. */
export const isoToLocalInput = (iso: string | undefined): string => {
  const d = parse(iso);
  if (d === null) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
export const localInputToIso = (v: string): string | undefined => {
  if (v === '') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

export const STATE_LABELS: Readonly<Record<string, string>> = {
  needs_review: 'Needs review',
  flagged: 'Flagged',
  approved: 'Approved',
  not_required: 'Not required',
};
