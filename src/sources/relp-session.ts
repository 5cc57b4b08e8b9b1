// The RELP protocol of one connection, without the socket: what each command means (open, syslog,
// close, anything else) and the answers in transaction order, each `syslog` answered `200 OK` only
// once the ingest queue says the frame committed. Pure: the caller reads sockets and the ingest queue.
import type { RelpFrame } from './framing/relp.js';

/** Our answer to `open`: librelp speaks version 0, and `syslog` is the only command we take. */
export const RELP_VERSION = 0;
export const RELP_SOFTWARE = 'countersign';

/** Why a RELP session was refused or broken (counted as `countersign_records_rejected_total{transport="relp"}`). */
export type RelpSessionErrorType =
  | 'relp-open-refused' // no relp_version, or a client that does not offer `syslog`
  | 'relp-syslog-before-open'
  | 'relp-txnr-out-of-sequence';

/** What the connection does with one frame. */
export type RelpStep =
  /** Store DATA as one syslog frame; answer `200 OK` once it committed. */
  | { readonly kind: 'store'; readonly txnr: number; readonly data: Buffer }
  /** Answer now (in turn): `open`, an unknown command (500, the session goes on). */
  | { readonly kind: 'reply'; readonly txnr: number; readonly text: string; readonly rejected?: string }
  /** `close`: answer in turn, then close the connection. */
  | { readonly kind: 'close'; readonly txnr: number }
  /** Protocol error: answer `500` in turn when the transaction is known, then close. */
  | { readonly kind: 'fail'; readonly txnr: number | null; readonly text: string; readonly reason: RelpSessionErrorType };

/** Offers are `LF`-separated `name[=value,value…]` (librelp offers.c). */
export const parseOffers = (data: Buffer): Map<string, string[]> => {
  const offers = new Map<string, string[]>();
  for (const line of data.toString('latin1').split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    const name = (eq === -1 ? line : line.slice(0, eq)).slice(0, 32);
    offers.set(name, eq === -1 ? [] : line.slice(eq + 1).split(',').map((v) => v.slice(0, 255)));
  }
  return offers;
};

/** TXNR after `t`: monotonic, latched at 999 999 999, then 1 again (relp.md). */
export const nextTxnr = (t: number): number => (t >= 999_999_999 ? 1 : t + 1);

export class RelpSession {
  private opened = false;
  private expected = 1;
  /** The client's relp_software offer, for the connection log line. */
  software: string | null = null;

  get isOpen(): boolean {
    return this.opened;
  }

  handle(frame: RelpFrame): RelpStep {
    const { txnr, command } = frame;
    // librelp's server checks every TXNR against the next expected one; a gap or a repeat means the
    // two ends disagree about which messages were answered, and only a new session sorts that out.
    if (txnr !== this.expected) {
      return { kind: 'fail', txnr, text: `500 txnr ${txnr} out of sequence, expected ${this.expected}`, reason: 'relp-txnr-out-of-sequence' };
    }
    this.expected = nextTxnr(txnr);
    switch (command) {
      case 'open':
        return this.open(frame);
      case 'syslog':
        if (!this.opened) return { kind: 'fail', txnr, text: '500 session not open: send open first', reason: 'relp-syslog-before-open' };
        return { kind: 'store', txnr, data: frame.data };
      case 'close':
        return { kind: 'close', txnr };
      default:
        // Commands outside relp.md (`starttls`, a client's `rsp`, extensions): refused, the session goes on.
        return { kind: 'reply', txnr, text: '500 command not supported', rejected: 'relp-unknown-command' };
    }
  }

  private open(frame: RelpFrame): RelpStep {
    const { txnr } = frame;
    if (this.opened) return { kind: 'reply', txnr, text: '200 connection already open - ignored' };
    const offers = parseOffers(frame.data);
    const version = offers.get('relp_version')?.[0];
    if (version === undefined || !/^\d{1,9}$/.test(version)) {
      return { kind: 'fail', txnr, text: '500 relp_version offer missing or not a number', reason: 'relp-open-refused' };
    }
    const commands = offers.get('commands');
    if (commands === undefined || !commands.includes('syslog')) {
      return { kind: 'fail', txnr, text: '500 required command not supported by client', reason: 'relp-open-refused' };
    }
    this.software = offers.get('relp_software')?.join(',') ?? null;
    this.opened = true;
    return { kind: 'reply', txnr, text: `200 OK\nrelp_version=${Math.min(RELP_VERSION, Number(version))}\nrelp_software=${RELP_SOFTWARE}\ncommands=syslog` };
  }
}

interface Pending {
  readonly txnr: number;
  readonly text: string;
  /** 0: answer as soon as it is its turn; else the ingest frame number that must have committed. */
  readonly ticket: number;
  readonly thenClose: boolean;
}

/** Answers waiting for their turn, in the order their commands arrived (= TXNR order). */
export class RelpAnswers {
  private readonly queue: Pending[] = [];
  private head = 0;
  private storesWaiting = 0;

  /** `syslog` transactions received and not yet answered: what the window counts. */
  get unacked(): number {
    return this.storesWaiting;
  }
  get size(): number {
    return this.queue.length - this.head;
  }

  add(txnr: number, text: string, ticket = 0, thenClose = false): void {
    this.queue.push({ txnr, text, ticket, thenClose });
    if (ticket !== 0) this.storesWaiting++;
  }

  /** The answers whose turn has come, given how many ingest frames have committed; `close` says to close after them. */
  take(committed: number): { answers: { txnr: number; text: string }[]; close: boolean } {
    const answers: { txnr: number; text: string }[] = [];
    let close = false;
    while (this.head < this.queue.length) {
      const p = this.queue[this.head]!;
      if (p.ticket > committed) break;
      this.head++;
      if (p.ticket !== 0) this.storesWaiting--;
      if (p.txnr > 0 || p.text !== '') answers.push({ txnr: p.txnr, text: p.text });
      if (p.thenClose) {
        close = true;
        break;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return { answers, close };
  }
}
