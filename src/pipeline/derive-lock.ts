// Exactly one deriver per store: two sessionizers over one store would each see half of a session.
// The lock is a file in the data directory holding the owner's pid; a lock whose process is gone is stale.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const DERIVE_LOCK_FILE = 'derive.lock';

export interface DeriveLock {
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the lock, or returns the pid that holds it. */
export const tryDeriveLock = (dataDir: string): DeriveLock | { heldBy: number } => {
  const file = join(dataDir, DERIVE_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          try {
            if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { heldBy: pid };
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new Error(`could not take ${file}`);
};
