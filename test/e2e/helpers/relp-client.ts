// A minimal RELP client for tests: sends frames (well-formed or deliberately broken bytes) and reads
// the server's frames with the same framer the server uses. Loopback only; it never retries, so a test
// sees exactly what the server answered and when it closed.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { encodeRelpFrame, RelpFramer, type RelpFrame } from '../../../src/sources/framing/relp.js';

export const OPEN_OFFERS = 'relp_version=0\nrelp_software=cs-test-client,1\ncommands=syslog';

export class RelpTestClient {
  readonly frames: RelpFrame[] = [];
  private readonly framer = new RelpFramer(1 << 20);
  private waiters: (() => void)[] = [];
  private txnr = 1;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.framer.push(c, (f) => this.frames.push(f));
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((r) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        r();
      }),
    );
  }

  static async connect(port: number, tls?: ConnectionOptions): Promise<RelpTestClient> {
    const socket =
      tls === undefined
        ? tcpConnect({ host: '127.0.0.1', port })
        : tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ...tls });
    await new Promise<void>((resolve, reject) => {
      socket.once(tls === undefined ? 'connect' : 'secureConnect', () => resolve());
      socket.once('error', reject);
    });
    return new RelpTestClient(socket);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Writes bytes as they are (for broken frames). */
  raw(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Sends a frame with the next TXNR; returns the TXNR. */
  send(command: string, data: string | Buffer = ''): number {
    const t = this.txnr++;
    this.socket.write(encodeRelpFrame(t, command, data));
    return t;
  }

  /** open, and waits for its answer. */
  async open(): Promise<RelpFrame> {
    const t = this.send('open', OPEN_OFFERS);
    return this.answer(t);
  }

  /** Waits for the server's answer to transaction `txnr` (or throws if the connection closed first). */
  async answer(txnr: number, timeoutMs = 30_000): Promise<RelpFrame> {
    const found = await this.until(() => this.frames.find((f) => f.command === 'rsp' && f.txnr === txnr), timeoutMs);
    if (found === undefined) throw new Error(`no answer to txnr ${txnr}; frames: ${this.describe()}`);
    return found;
  }

  /** Waits until `pred` returns something, the connection closes, or the time runs out. */
  async until<T>(pred: () => T | undefined, timeoutMs = 30_000): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v !== undefined || this.ended || Date.now() > deadline) return v;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, Math.min(200, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Text of each frame received, for assertions and failure messages. */
  describe(): string {
    return JSON.stringify(this.frames.map((f) => `${f.txnr} ${f.command} ${f.data.toString('latin1')}`));
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
