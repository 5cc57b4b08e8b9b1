// The regression seeds: every input that ever failed a target, kept as a file under
// test/regression/fuzz-seeds/<target>/ (named by its SHA-256) and replayed by the vitest suite.
import { hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

export const seedsDir = (): string => join(repoRoot(), 'test/regression/fuzz-seeds');

/** Keeps a failing input; returns its path. `note` (why it failed) goes beside it. */
export const saveSeed = (target: string, input: Uint8Array, note: string): string => {
  const dir = join(seedsDir(), target);
  mkdirSync(dir, { recursive: true });
  const name = hash('sha256', input, 'hex').slice(0, 16);
  const file = join(dir, `${name}.bin`);
  writeFileSync(file, input);
  writeFileSync(join(dir, `${name}.txt`), `${note.trim()}\n`);
  return file;
};

/** Every kept seed, by target. */
export const loadSeeds = (): { target: string; name: string; input: Buffer }[] => {
  const root = seedsDir();
  if (!existsSync(root)) return [];
  const out: { target: string; name: string; input: Buffer }[] = [];
  for (const target of readdirSync(root)) {
    const dir = join(root, target);
    if (target.startsWith('.') || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.bin')) out.push({ target, name: f, input: readFileSync(join(dir, f)) });
  }
  return out;
};
