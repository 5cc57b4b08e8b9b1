// Runs one fuzz target in this thread: fast-check drives it for `runs` inputs; each call is timed
// (performance.now). An input over the bound, and each new candidate for the slowest, is timed again,
// best of three, so that a garbage-collection pause is not blamed on it.
import fc from 'fast-check';
import { FuzzViolation, type FuzzTarget } from './target.js';

export interface RunOptions {
  readonly runs: number;
  readonly seed: number;
  /** A single input may take at most this long (ms). */
  readonly boundMs: number;
  /** Called before each input (the worker's watchdog keeps it) and after it. */
  readonly onInput?: (input: Uint8Array) => void;
  readonly afterInput?: () => void;
}

export interface TargetReport {
  readonly id: string;
  readonly runs: number;
  readonly seed: number;
  readonly seconds: number;
  readonly slowestMs: number;
  readonly slowestBytes: number;
  /** The (shrunk) failing input and why; absent when every run passed. */
  readonly failure?: { readonly kind: 'exception' | 'violation' | 'too-slow'; readonly message: string; readonly input: Uint8Array };
}

class TooSlow extends Error {}

const timed = (target: FuzzTarget, input: Uint8Array): number => {
  const t0 = performance.now();
  target.run(input);
  return performance.now() - t0;
};

/** Runs one input against the target's properties and the time bound; throws like a failing property. */
export const runOne = (target: FuzzTarget, input: Uint8Array, boundMs: number): number => {
  let ms = timed(target, input);
  if (ms > boundMs) ms = Math.min(ms, timed(target, input), timed(target, input));
  if (ms > boundMs) throw new TooSlow(`one input took ${ms.toFixed(1)} ms (bound ${boundMs} ms, best of three)`);
  return ms;
};

export const runTarget = (target: FuzzTarget, o: RunOptions): TargetReport => {
  let slowestMs = 0;
  let slowestBytes = 0;
  let runs = 0;
  const t0 = performance.now();
  const result = fc.check(
    fc.property(target.arbitrary(), (input) => {
      o.onInput?.(input);
      let ms: number;
      try {
        ms = runOne(target, input, o.boundMs);
      } finally {
        o.afterInput?.();
      }
      runs++;
      // A candidate for the slowest is timed again, best of three: the report should name inputs that
      // are slow, not the ones a garbage-collection pause or a first compilation happened to fall on.
      if (ms > slowestMs) ms = Math.min(ms, timed(target, input), timed(target, input));
      if (ms > slowestMs) {
        slowestMs = ms;
        slowestBytes = input.length;
      }
    }),
    { numRuns: o.runs, seed: o.seed, endOnFailure: false, maxSkipsPerRun: 0 },
  );
  const base = { id: target.id, runs, seed: o.seed, seconds: (performance.now() - t0) / 1000, slowestMs, slowestBytes };
  if (!result.failed || result.counterexample === null) return base;
  const err = result.errorInstance;
  const kind = err instanceof TooSlow ? 'too-slow' : err instanceof FuzzViolation ? 'violation' : 'exception';
  const message = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n') ?? ''}` : String(err);
  return { ...base, failure: { kind, message, input: result.counterexample[0] } };
};
