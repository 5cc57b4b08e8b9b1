// Runs the browser witness (witness.ts) on each visit and every minute after, keeps the last verified
// checkpoint per log origin in localStorage, and holds the outcome for the top bar and the banner. The stored
// checkpoint changes only after a full verification, or when the reader explicitly accepts a new one.
import { useSyncExternalStore } from 'react';
import { HttpError, witness, type StoredCheckpoint, type WitnessOutcome } from '../witness.ts';

const KEY = 'countersign.witness.v1:';
const INTERVAL_MS = 60_000;

const load = (origin: string): StoredCheckpoint | null => {
  try {
    const raw = window.localStorage.getItem(KEY + origin);
    if (raw === null) return null;
    const v = JSON.parse(raw) as Partial<StoredCheckpoint>;
    if (typeof v.size !== 'number' || typeof v.root !== 'string' || typeof v.vkey !== 'string' || typeof v.seenAt !== 'number') return null;
    return { origin, size: v.size, root: v.root, vkey: v.vkey, seenAt: v.seenAt };
  } catch {
    return null;
  }
};
const save = (s: StoredCheckpoint): void => {
  try {
    window.localStorage.setItem(KEY + s.origin, JSON.stringify(s));
  } catch {
    // storage full or disabled: the witness still checks this visit
  }
};

const get = async (path: string): Promise<Response> => {
  const res = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status, `${path}: HTTP ${res.status}`);
  return res;
};

export interface WitnessState {
  readonly outcome: WitnessOutcome | null;
  readonly checkedAt: number | null;
  readonly dismissed: boolean;
}

let state: WitnessState = { outcome: null, checkedAt: null, dismissed: false };
const listeners = new Set<() => void>();
const set = (s: WitnessState): void => {
  state = s;
  for (const f of listeners) f();
};

let timer: number | undefined;
let running = false;

export const checkNow = async (): Promise<void> => {
  if (running) return;
  running = true;
  try {
    const outcome = await witness({ getText: async (p) => (await get(p)).text(), getJson: async (p) => (await get(p)).json(), load, save, now: () => Date.now() });
    // An alarm the reader dismissed stays dismissed while it is the same alarm; a new one shows again.
    const same = state.outcome?.status === 'alarm' && outcome.status === 'alarm' && state.outcome.alarm.message === outcome.alarm.message;
    set({ outcome, checkedAt: Date.now(), dismissed: same && state.dismissed });
  } finally {
    running = false;
  }
};

export const startWitness = (): (() => void) => {
  void checkNow();
  timer = window.setInterval(() => void checkNow(), INTERVAL_MS);
  return () => window.clearInterval(timer);
};

export const dismissAlarm = (): void => set({ ...state, dismissed: true });

/** The reader decided the new checkpoint is right (e.g. the log was reinstalled on purpose): trust it from now on. */
export const acceptNewCheckpoint = (): void => {
  const o = state.outcome;
  if (o?.status !== 'alarm' || o.checkpoint === null) return;
  // Forget the old one; the next round verifies the served checkpoint's signature and keeps it as a first sight.
  try {
    window.localStorage.removeItem(KEY + o.checkpoint.origin);
  } catch {
    // nothing stored to forget
  }
  set({ outcome: null, checkedAt: null, dismissed: false });
  void checkNow();
};

export const useWitness = (): WitnessState =>
  useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => state,
  );
