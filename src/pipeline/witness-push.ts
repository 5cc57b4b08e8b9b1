// The log host's side of witnessing: each new checkpoint goes to every configured witness with a
// consistency proof from the size that witness last cosigned (C2SP tlog-witness add-checkpoint); a
// returned cosignature is checked with the witness's key before it is kept. A witness that refuses
// (a fork, a bad proof) is logged as an error: that is what a rewritten history looks like to it.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SqliteTlogStore, StoredCheckpoint } from '../store/sqlite/tlog-store.js';
import { cosignatureVerifier, parseNote, verifyCosignature, type CosignatureVerifier } from '../tlog/index.js';
import { parseSignatureLine } from '../tlog/note.js';

export interface WitnessConfig {
  readonly url: string;
  readonly verifierKey: string;
}

interface Witness {
  readonly url: string;
  readonly name: string;
  readonly verifier: CosignatureVerifier;
}

export class WitnessPusher {
  private readonly witnesses: Witness[];
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SqliteTlogStore,
    config: readonly WitnessConfig[],
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.witnesses = config.map((w) => {
      const v = cosignatureVerifier(w.verifierKey.trim());
      if (!v.ok) throw new Error(`tlog.witnesses: ${w.url}: not a witness verifier key: ${v.error.message}`);
      return { url: w.url.replace(/\/+$/, ''), name: v.value.name, verifier: v.value };
    });
  }

  get count(): number {
    return this.witnesses.length;
  }

  /** Sends the checkpoint to every witness, one push at a time (a later checkpoint waits for the earlier). */
  push(c: StoredCheckpoint): Promise<void> {
    this.busy = this.busy.then(() => Promise.all(this.witnesses.map((w) => this.pushOne(w, c))).then(() => undefined));
    return this.busy;
  }

  private async pushOne(w: Witness, c: StoredCheckpoint): Promise<void> {
    const text = parseNote(c.note);
    if (!text.ok) return;
    for (let attempt = 0; attempt < 2; attempt++) {
      const old = Math.min(this.store.witnessSize(w.name), c.size);
      const proof = old === 0 || old === c.size ? [] : this.store.consistency(old, c.size);
      if (!Array.isArray(proof) && !proof.ok) {
        this.log.error({ witness: w.url, old, size: c.size, err: proof.error.message }, 'witness: cannot make the consistency proof');
        return;
      }
      const hashes = Array.isArray(proof) ? proof : proof.value;
      const body = `old ${old}\n${hashes.map((h) => `${Buffer.from(h).toString('base64')}\n`).join('')}\n${c.note}`;
      let res: Response;
      try {
        res = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
      } catch (e) {
        this.log.warn({ witness: w.url, err: String((e as Error).message) }, 'witness unreachable; the next checkpoint tries again');
        return;
      }
      const reply = await res.text();
      if (res.status === 409 && (res.headers.get('content-type') ?? '').startsWith('text/x.tlog.size')) {
        this.store.setWitnessSize(w.name, Number(reply.trim()), this.clock.now()); // it saw a different size: prove from there
        continue;
      }
      if (res.status !== 200) {
        this.log.error({ witness: w.url, status: res.status, reason: reply.trim().slice(0, 300), size: c.size }, 'witness REFUSED the checkpoint');
        return;
      }
      const line = reply.split('\n').find((l) => l.startsWith('— '));
      const sig = line === undefined ? undefined : parseSignatureLine(line);
      const ok = sig !== undefined && sig.ok && verifyCosignature(text.value.text, sig.value, w.verifier).ok;
      if (!ok) {
        this.log.error({ witness: w.url, reply: reply.slice(0, 300) }, 'witness returned no valid cosignature');
        return;
      }
      this.store.saveCosignature(c.id, w.name, c.size, line!, this.clock.now());
      return;
    }
  }
}
