// Signs checkpoints of the tree (C2SP tlog-checkpoint as a signed note): every interval when the tree
// grew, and on demand. Every checkpoint is kept. Reads the tree state the writer committed; never
// signs a size whose root it did not compute from stored state.
import type { Clock } from '../clock.js';
import type { SqliteTlogStore, StoredCheckpoint } from '../store/sqlite/tlog-store.js';
import { formatCheckpoint, signNote } from '../tlog/index.js';
import type { LogKey } from './log-key.js';

export class Checkpointer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SqliteTlogStore,
    private readonly key: LogKey,
    private readonly clock: Clock,
  ) {}

  /** Signs the current tree unless the latest checkpoint already covers it (or `force`). */
  make(force = false): StoredCheckpoint | undefined {
    const tree = this.store.tree();
    const last = this.store.latestCheckpoint();
    if (!force && last !== undefined && last.size === tree.size) return last;
    const body = formatCheckpoint({ origin: this.key.origin, size: tree.size, rootHash: tree.root, extensions: [] });
    if (!body.ok) throw new Error(`checkpoint: ${body.error.message}`);
    const note = signNote(body.value, [this.key.signer]);
    if (!note.ok) throw new Error(`checkpoint signature: ${note.error.message}`);
    this.store.saveCheckpoint(tree.size, tree.root, note.value, this.clock.now());
    return this.store.latestCheckpoint();
  }

  /** Every interval; `onNew` hears of each checkpoint made (the witnesses get it). */
  start(intervalMs: number, onError: (e: unknown) => void, onNew: (c: StoredCheckpoint) => void = () => undefined): void {
    let lastId = this.store.latestCheckpoint()?.id;
    const tick = (): void => {
      try {
        const c = this.make();
        if (c !== undefined && c.id !== lastId) {
          lastId = c.id;
          onNew(c);
        }
      } catch (e) {
        onError(e);
      }
      this.timer = setTimeout(tick, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
