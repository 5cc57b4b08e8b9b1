// The derive stage's thread in `serve`: follows the store on its own connection, nudged after each
// ingest commit and polling for records written by other processes (import), ticking the idle timeout.
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../clock.js';
import { loadRuleSet, ruleErrorLine, type RuleSources } from '../rules/load.js';
import type { SessionizerOptions } from '../sessions/sessionizer.js';
import { openDerivedStore, setWalCheckpoints, type WalCheckpoints } from '../store/index.js';
import { Deriver } from './derive.js';

export interface DeriveThreadOptions {
  readonly dataDir: string;
  readonly sessionizer: SessionizerOptions;
  /** The rule files to load (config `rules`): compiled once, here, for this deriver. */
  readonly rules: RuleSources;
  readonly intervalMs: number;
  /** One Int32 the main thread sets to 1 while ingest has records waiting to commit. */
  readonly ingestBusy: SharedArrayBuffer;
  /** 'thread' when a checkpoint thread copies the WAL (serve); default 'auto' (store/sqlite/open.ts). */
  readonly walCheckpoints?: WalCheckpoints;
}

/** While ingest is pressed (service.ts sets the flag) the deriver takes small bites with pauses: receiving and storing come first. */
const BUSY_STEP = 256;
const BUSY_PAUSE_MS = 200;

export type DeriveThreadMsg = { readonly type: 'nudge' } | { readonly type: 'stop' };
export type DeriveThreadReply =
  | { readonly type: 'progress'; readonly cursor: number; readonly openSessions: number }
  /** Once at start: how many rules are in use, each refused rule as `file:line: reason`, built-in ids replaced by rules.dir. */
  | { readonly type: 'rules'; readonly loaded: number; readonly refused: readonly string[]; readonly replaced: readonly string[] }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };

const port = parentPort!;
const opts = workerData as DeriveThreadOptions;
setWalCheckpoints(opts.walCheckpoints ?? 'auto');
const rules = loadRuleSet(opts.rules);
port.postMessage({ type: 'rules', loaded: rules.set.size, refused: rules.errors.map(ruleErrorLine), replaced: rules.replaced } satisfies DeriveThreadReply);
const store = openDerivedStore(opts.dataDir);
const deriver = new Deriver(store, { clock: systemClock, sessionizer: opts.sessionizer, rules: rules.set });
let stopping = false;
let timer: NodeJS.Timeout | null = null;
let lastTick = 0;

const report = (): void => port.postMessage({ type: 'progress', cursor: deriver.cursor, openSessions: deriver.openSessions } satisfies DeriveThreadReply);

/** Derives in slices, yielding between them so a stop or nudge is heard. */
const busy = new Int32Array(opts.ingestBusy);
const run = (): void => {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  try {
    const pressed = Atomics.load(busy, 0) === 1;
    const n = deriver.step(pressed ? BUSY_STEP : 2048);
    const now = systemClock.now();
    if (now - lastTick > 5_000) {
      lastTick = now;
      deriver.tick();
    }
    if (n > 0) report();
    if (!stopping) timer = setTimeout(run, pressed ? BUSY_PAUSE_MS : n > 0 ? 0 : opts.intervalMs);
  } catch (e) {
    port.postMessage({ type: 'failed', message: String((e as Error)?.message ?? e) } satisfies DeriveThreadReply);
    if (!stopping) timer = setTimeout(run, 1_000);
  }
};

port.on('message', (m: DeriveThreadMsg) => {
  if (m.type === 'nudge') {
    if (timer !== null && !stopping && Atomics.load(busy, 0) === 0) {
      clearTimeout(timer);
      timer = setTimeout(run, 0);
    }
    return;
  }
  stopping = true;
  if (timer !== null) clearTimeout(timer);
  // Not a catch-up: a backlog of millions would hold the shutdown for minutes. The cursor is durable and
  // the next start resumes from it; what multi-record parsers hold is released now so it is not lost.
  try {
    deriver.finish();
    report();
  } catch (e) {
    port.postMessage({ type: 'failed', message: String((e as Error)?.message ?? e) } satisfies DeriveThreadReply);
  }
  store.close();
  port.postMessage({ type: 'stopped' } satisfies DeriveThreadReply);
  port.close();
});

run();
