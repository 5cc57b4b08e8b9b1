// The fuzz stage's one interface: a target takes bytes, drives one component with them and throws a
// FuzzViolation when a property does not hold. Any other exception escaping the component is a
// failure too. Inputs are bytes so that every failing input can be kept as a file and replayed.
import type fc from 'fast-check';

export interface FuzzTarget {
  /** Kebab-case, also the seeds folder name: test/regression/fuzz-seeds/<id>/. */
  readonly id: string;
  /** What it drives, one line for the report. */
  readonly about: string;
  /** Generated inputs: raw bytes and realistic frames with a few bytes changed. */
  arbitrary(): fc.Arbitrary<Uint8Array>;
  /** Drives the component with one input; throws on a broken property. Never reads the clock. */
  run(input: Uint8Array): void;
}

/** A property that does not hold (as opposed to an exception the component let escape). */
export class FuzzViolation extends Error {
  override readonly name = 'FuzzViolation';
}

export const check = (ok: boolean, what: string): void => {
  if (!ok) throw new FuzzViolation(what);
};
