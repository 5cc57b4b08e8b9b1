// One RELP connection on its socket: frames in, `syslog` DATA into the ingest queue, answers out in
// transaction order, a `200 OK` only after the frame's commit. Reading stops while the window is full,
// while the ingest queue pushes back, or while the peer does not read our answers, so nothing here
// grows without bound. Must never acknowledge a frame the store has not committed.
import type { Socket } from 'node:net';
import type { ConnMeta } from '../pipeline/frame-batch.js';
import { encodeRelpFrame, RelpFramer, type RelpFrame, type RelpFramerError } from './framing/relp.js';
import { FRAME_OK } from './framing/types.js';
import { RelpAnswers, RelpSession } from './relp-session.js';
import { frameDigest, RecentFrames, type RelpResendWatch } from './relp-resend.js';
import type { SourceContext } from './types.js';

export interface RelpConnectionOptions {
  readonly maxFrameBytes: number;
  readonly window: number;
}

/** What a connection reports to its source. */
export interface RelpConnectionHooks {
  readonly resend: RelpResendWatch;
  /** Counts a frame the sender sent again after its previous connection broke. */
  resent(): void;
  closed(conn: RelpConnection): void;
}

/** Answers queued but not yet written past this many bytes: the peer is not reading them, so we stop reading it. */
const MAX_UNREAD_ANSWER_BYTES = 1 << 20;
/** Half of librelp's default window (128). */
const EARLY_COMMIT_FRAMES = 64;

export class RelpConnection {
  private readonly framer: RelpFramer;
  private readonly session = new RelpSession();
  private readonly answers = new RelpAnswers();
  private readonly recent: RecentFrames;
  /** Who the sender is across connections: its verified identity, else its address without the port. */
  private readonly sender: string;
  private paused = false;
  /** No more commands are read (close, protocol error, server stopping); answers still go out. */
  private draining = false;
  private closedByClient = false;
  private ended = false;
  private stored = 0;
  /** Frames stored since this connection last asked for an early commit. */
  private sinceCommitAsked = 0;
  private resentHere = 0;
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly socket: Socket,
    readonly meta: ConnMeta,
    private readonly ctx: SourceContext,
    private readonly opts: RelpConnectionOptions,
    private readonly hooks: RelpConnectionHooks,
  ) {
    this.framer = new RelpFramer(opts.maxFrameBytes);
    this.recent = new RecentFrames(Math.min(2 * opts.window, 1024));
    this.sender = meta.peerIdentity ?? (socket.remoteAddress ?? meta.peer);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('end', () => this.peerEnded());
    socket.on('drain', () => this.updateFlow());
    socket.on('error', (err) => ctx.log.debug({ transport: 'relp', peer: meta.peer, err: err.message }, 'connection error'));
    socket.on('close', () => this.onClose());
    this.updateFlow();
  }

  /** syslog transactions received and not yet acknowledged. */
  get unacked(): number {
    return this.answers.unacked;
  }
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Called after each commit and on every change of ingest pressure. */
  onProgress(): void {
    this.writeAnswers();
    this.updateFlow();
  }

  /**
   * The server is stopping: frame what Node already read, stop reading, and once every stored frame
   * is answered say `serverclose` and close. The caller flushes the ingest queue meanwhile.
   */
  beginStop(): void {
    if (this.ended) return;
    this.socket.pause();
    this.socket.removeAllListeners('data');
    for (let chunk = this.socket.read() as Buffer | null; chunk !== null && !this.draining; chunk = this.socket.read() as Buffer | null) {
      this.read(chunk);
    }
    if (this.framer.end() > 0) this.ctx.ingest.countRejected('relp', 'incomplete-frame'); // never answered: the sender sends it again
    this.stopReading();
    this.answers.add(0, '', 0, true);
    this.writeAnswers();
  }

  /** Destroys the socket (stop took too long: the peer does not read). */
  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.draining) return;
    const e = this.framer.push(chunk, (f) => this.frame(f));
    if (e !== null) this.framingError(e);
    // A RELP sender stops when its window is full and waits for answers: commit now rather than at
    // the batch timer when ours is full, or after a burst of EARLY_COMMIT_FRAMES (librelp's default
    // window is 128, so a default rsyslog would otherwise wait for the timer at every window). Once
    // per chunk, never per frame: every seal is a transaction (and an fsync) of its own.
    if (this.sinceCommitAsked >= EARLY_COMMIT_FRAMES || (this.answers.unacked >= this.opts.window && this.sinceCommitAsked > 0)) {
      this.sinceCommitAsked = 0;
      void this.ctx.ingest.flush();
    }
    this.writeAnswers();
    this.updateFlow();
  }

  private frame(f: RelpFrame): void {
    if (this.draining) return;
    const step = this.session.handle(f);
    switch (step.kind) {
      case 'store': {
        const digest = frameDigest(step.data);
        if (this.hooks.resend.watching(this.sender) && this.hooks.resend.check(this.sender, digest)) {
          this.resentHere++;
          this.hooks.resent();
        }
        this.recent.add(digest);
        this.ctx.ingest.push(this.meta, step.data, FRAME_OK);
        this.stored++;
        this.sinceCommitAsked++;
        this.answers.add(step.txnr, '200 OK', this.ctx.ingest.pushedCount);
        return;
      }
      case 'reply':
        if (step.rejected !== undefined) this.ctx.ingest.countRejected('relp', step.rejected);
        this.answers.add(step.txnr, step.text);
        if (step.text.startsWith('200 OK\n')) this.ctx.log.info({ peer: this.meta.peer, peerIdentity: this.meta.peerIdentity, software: this.session.software }, 'RELP session opened');
        return;
      case 'close':
        this.closedByClient = true;
        this.answers.add(step.txnr, '', 0, true);
        this.stopReading();
        return;
      case 'fail':
        this.protocolError(step.reason, step.text, step.txnr);
        return;
    }
  }

  private framingError(e: RelpFramerError): void {
    this.protocolError(e.type, `500 ${e.message}`, e.txnr);
  }

  private protocolError(reason: string, text: string, txnr: number | null): void {
    this.ctx.log.warn({ transport: 'relp', peer: this.meta.peer, reason, detail: text }, 'RELP protocol error: connection closed');
    this.ctx.metrics.connections.inc({ transport: 'relp', outcome: 'protocol-error' });
    this.ctx.ingest.countRejected('relp', reason);
    // The 500 goes out in turn, after the answers to what was already stored, then the connection closes.
    this.answers.add(txnr !== null && txnr > 0 ? txnr : 0, txnr !== null && txnr > 0 ? text : '', 0, true);
    this.stopReading();
  }

  private stopReading(): void {
    this.draining = true;
    this.socket.pause();
  }

  private writeAnswers(): void {
    if (this.ended || this.socket.destroyed || this.socket.writableEnded) return;
    const { answers, close } = this.answers.take(this.ctx.ingest.committedCount);
    if (answers.length > 0) {
      // `close` is answered with an empty rsp (librelp cclose.c); every other answer carries its text.
      const out = answers.map((a) => encodeRelpFrame(a.txnr, 'rsp', a.text));
      this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    }
    if (close) this.finish(!this.closedByClient);
  }

  /** Ends our side after the answers written so far; `serverclose` tells a client we closed first (relp.md hint). */
  private finish(sayServerclose: boolean): void {
    if (this.ended) return;
    this.ended = true;
    if (sayServerclose && this.session.isOpen) this.socket.write(encodeRelpFrame(0, 'serverclose'));
    this.socket.end();
    // A peer that never reads would keep the socket (and its answers) forever.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  private updateFlow(): void {
    const stop =
      this.draining ||
      this.ctx.ingest.streamsHeld ||
      this.answers.unacked >= this.opts.window ||
      this.socket.writableLength > MAX_UNREAD_ANSWER_BYTES;
    if (stop !== this.paused) {
      this.paused = stop;
      if (stop) this.socket.pause();
      else this.socket.resume();
    }
  }

  private peerEnded(): void {
    const partial = this.framer.end();
    if (partial > 0) this.ctx.ingest.countRejected('relp', 'incomplete-frame');
  }

  private onClose(): void {
    // Frames stored but not acknowledged here will come again on the sender's next connection.
    if (!this.closedByClient) this.hooks.resend.remember(this.sender, this.recent.digests);
    if (this.stored > 0 || this.resentHere > 0 || this.answers.unacked > 0) {
      this.ctx.log.info(
        { peer: this.meta.peer, stored: this.stored, unackedAtClose: this.answers.unacked, resentFromBrokenConnection: this.resentHere, closedByClient: this.closedByClient },
        'RELP session ended',
      );
    }
    this.hooks.closed(this);
  }
}
