// Retry timing of a failed delivery: 1 s, 2 s, 4 s … capped at 5 min; after the route's max age the
// alert is given up and marked failed with the reason. Pure.

export const BACKOFF_FIRST_MS = 1000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Delay before the next try, after `attempts` failed tries (1 → 1 s). */
export const backoffMs = (attempts: number): number => Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, Math.min(attempts - 1, 30)));

const ageText = (ms: number): string => {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
};

export type RetryVerdict = { readonly retry: true; readonly at: number } | { readonly retry: false; readonly reason: string };

/** After a failed try (`attempts` counts it): when to try again, or the reason to give up. */
export const afterFailure = (o: { attempts: number; createdAt: number; now: number; maxAgeMs: number; error: string }): RetryVerdict => {
  if (o.now - o.createdAt >= o.maxAgeMs) return { retry: false, reason: `gave up after ${o.attempts} attempts over ${ageText(o.now - o.createdAt)}: ${o.error}` };
  return { retry: true, at: o.now + backoffMs(o.attempts) };
};
