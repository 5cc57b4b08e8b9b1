// `npm run fuzz`: every fuzz target (targets.ts) for --runs N inputs each (env FUZZ_RUNS), on one
// worker thread per core, with a watchdog that stops a target stuck on one input for 2 s. Prints the
// slowest input per target; a failure (exception, broken property, input over --bound-ms, hang) is
// kept as a seed under test/regression/fuzz-seeds/ and makes the exit code 1.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TargetReport } from './runner.js';
import { saveSeed } from './seeds.js';
import { FUZZ_TARGETS } from './targets.js';
import type { FromWorker, ToWorker } from './worker.js';

/** About a minute on 2 cores for all targets together (measured: docs/reliability.md). */
export const DEFAULT_RUNS = 20_000;
const WATCHDOG_MS = 2000;
const SHARED_HEAD = 12;
const SHARED_BYTES = SHARED_HEAD + (1 << 20);

interface Args {
  runs: number;
  seed: number;
  boundMs: number;
  workers: number;
  only: string[];
}

const parseArgs = (argv: readonly string[]): Args => {
  const a: Args = {
    runs: Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS),
    seed: Number(process.env.FUZZ_SEED ?? (Date.now() % 2_147_483_647)),
    boundMs: 50,
    workers: Math.max(1, Math.min(availableParallelism(), 8)),
    only: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--runs':
        a.runs = Number(v);
        i++;
        break;
      case '--seed':
        a.seed = Number(v);
        i++;
        break;
      case '--bound-ms':
        a.boundMs = Number(v);
        i++;
        break;
      case '--workers':
        a.workers = Number(v);
        i++;
        break;
      case '--target':
        a.only.push(String(v));
        i++;
        break;
      case '--list':
        for (const t of FUZZ_TARGETS) process.stdout.write(`${t.id}\t${t.about}\n`);
        process.exit(0);
        break;
      case '--help':
        process.stdout.write(
          'npm run fuzz -- [--runs N] [--seed S] [--bound-ms 50] [--workers W] [--target ID]... [--list]\n' +
            `  --runs: inputs per target (env FUZZ_RUNS, default ${DEFAULT_RUNS}); --seed: fast-check seed (env FUZZ_SEED)\n`,
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${argv[i]} (try --help)`);
    }
  }
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs: a whole number ≥ 1');
  return a;
};

/** One worker that takes targets from the queue until it is empty; replaced if the watchdog kills it. */
const runQueue = (queue: string[], args: Args, reports: TargetReport[]): Promise<void> =>
  new Promise((resolve) => {
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    const head = new Int32Array(shared, 0, 3);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { shared }, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    let current: string | null = null;
    let replaced = false;
    let beat = -1;
    let beatAt = Date.now();
    const next = (): void => {
      current = queue.shift() ?? null;
      if (current === null) {
        clearInterval(watchdog);
        worker.postMessage({ type: 'exit' } satisfies ToWorker);
        return;
      }
      beatAt = Date.now();
      process.stderr.write(`fuzz: ${current} …\n`);
      worker.postMessage({ type: 'run', id: current, runs: args.runs, seed: args.seed, boundMs: args.boundMs } satisfies ToWorker);
    };
    const watchdog = setInterval(() => {
      // Only time spent inside one input counts: building a target's generators may take a while.
      const b = Atomics.load(head, 0);
      if (b !== beat || Atomics.load(head, 2) === 0) {
        beat = b;
        beatAt = Date.now();
        return;
      }
      if (current === null || Date.now() - beatAt < WATCHDOG_MS) return;
      const len = Math.min(Atomics.load(head, 1), SHARED_BYTES - SHARED_HEAD);
      const input = new Uint8Array(shared, SHARED_HEAD, len).slice();
      reports.push({ id: current, runs: 0, seed: args.seed, seconds: 0, slowestMs: WATCHDOG_MS, slowestBytes: len, failure: { kind: 'too-slow', message: `no progress for ${WATCHDOG_MS} ms on one input (hang?)`, input } });
      clearInterval(watchdog);
      current = null;
      replaced = true;
      void worker.terminate().then(() => resolve(runQueue(queue, args, reports)));
    }, 250);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') next();
      else {
        reports.push(m.report);
        next();
      }
    });
    worker.on('error', (e) => {
      replaced = true;
      if (current !== null) reports.push({ id: current, runs: 0, seed: args.seed, seconds: 0, slowestMs: 0, slowestBytes: 0, failure: { kind: 'exception', message: `worker died: ${e.message}`, input: new Uint8Array(0) } });
      current = null;
      clearInterval(watchdog);
      resolve(runQueue(queue, args, reports));
    });
    worker.on('exit', () => {
      clearInterval(watchdog);
      if (current === null && !replaced) resolve();
    });
  });

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2));
  const ids = FUZZ_TARGETS.map((t) => t.id).filter((id) => args.only.length === 0 || args.only.includes(id));
  if (ids.length === 0) throw new Error(`no target matches ${args.only.join(', ')} (try --list)`);
  const t0 = performance.now();
  const queue = [...ids];
  const reports: TargetReport[] = [];
  await Promise.all(Array.from({ length: Math.min(args.workers, ids.length) }, () => runQueue(queue, args, reports)));
  const seconds = (performance.now() - t0) / 1000;
  reports.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const w = Math.max(...ids.map((i) => i.length));
  process.stdout.write(`fuzz: ${ids.length} targets × ${args.runs} runs, seed ${args.seed}, bound ${args.boundMs} ms per input, ${args.workers} workers\n`);
  for (const r of reports) {
    const status = r.failure === undefined ? 'ok' : `FAILED (${r.failure.kind})`;
    process.stdout.write(`  ${r.id.padEnd(w)}  ${String(r.runs).padStart(8)} runs  ${r.seconds.toFixed(1).padStart(6)} s  slowest ${r.slowestMs.toFixed(2).padStart(7)} ms (${r.slowestBytes} bytes)  ${status}\n`);
  }
  const failed = reports.filter((r) => r.failure !== undefined);
  for (const r of failed) {
    const f = r.failure!;
    const file = saveSeed(r.id, f.input, `target ${r.id}, seed ${r.seed}, ${f.kind}:\n${f.message}`);
    process.stdout.write(`\n${r.id}: ${f.kind}: ${f.message}\n  input kept as ${file} (replayed by test/regression/fuzz.test.ts)\n`);
  }
  const slowest = reports.reduce((m, r) => (r.slowestMs > m.slowestMs ? r : m), reports[0]!);
  process.stdout.write(`fuzz: ${reports.reduce((n, r) => n + r.runs, 0)} inputs in ${seconds.toFixed(1)} s; slowest single input ${slowest.slowestMs.toFixed(2)} ms (${slowest.id}); ${failed.length} failed\n`);
  process.exitCode = failed.length === 0 && reports.length === ids.length ? 0 : 1;
};

main().catch((e: unknown) => {
  process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
