// CI's share of the fuzzing: every fuzz target (src/fuzz/targets.ts) at a small run count in this
// process, `npm run fuzz`'s own runner (worker threads, watchdog) once at a tiny count, and every
// kept seed (test/regression/fuzz-seeds/: inputs that once failed, and the known-bad list) replayed.
// The per-input bound here is a generous 1 s; the 50 ms bound is the fuzz target's (npm run fuzz).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runOne, runTarget } from '../../src/fuzz/runner.js';
import { loadSeeds } from '../../src/fuzz/seeds.js';
import { FUZZ_TARGETS, targetById } from '../../src/fuzz/targets.js';
import { CLI } from '../e2e/helpers/countersign.js';

const RUNS = Number(process.env.FUZZ_SMOKE_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const BOUND_MS = 1000;

describe(`fuzz targets, ${RUNS} runs each (seed ${SEED})`, () => {
  it.each(FUZZ_TARGETS.map((t) => [t.id, t] as const))('%s', (_id, target) => {
    const r = runTarget(target, { runs: RUNS, seed: SEED, boundMs: BOUND_MS });
    console.log(`fuzz ${r.id}: ${r.runs} runs in ${r.seconds.toFixed(2)} s, slowest ${r.slowestMs.toFixed(2)} ms (${r.slowestBytes} bytes)`);
    const f = r.failure;
    expect(f === undefined ? 'ok' : `${f.kind}: ${f.message}\ninput (base64): ${Buffer.from(f.input).toString('base64').slice(0, 2000)}`).toBe('ok');
  });
});

describe('fuzz regression seeds', () => {
  const seeds = loadSeeds();
  it('are there: the known-bad list at least', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(30);
  });
  it.each(seeds.map((s) => [`${s.target}/${s.name}`, s] as const))('%s', (_name, s) => {
    const target = targetById(s.target);
    expect(target, `seed folder ${s.target} names no fuzz target`).toBeDefined();
    runOne(target!, s.input, BOUND_MS);
  });
});

describe('npm run fuzz', () => {
  it('runs every target on worker threads and exits 0', async () => {
    const main = CLI.replace(/cli\/main\.js$/, 'fuzz/main.js');
    const { stdout } = await promisify(execFile)(process.execPath, [main, '--runs', '30', '--seed', String(SEED), '--bound-ms', String(BOUND_MS)], { timeout: 120_000 });
    expect(stdout).toMatch(new RegExp(`fuzz: ${FUZZ_TARGETS.length} targets × 30 runs`));
    expect(stdout).toMatch(/; 0 failed\n$/);
  }, 150_000);
});
