// One outgoing TCP or TLS connection kept open between alerts (syslog and GELF over TCP), opened again
// after it broke. A write resolves once the kernel took the bytes: these protocols have no receipt.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

const CONNECT_TIMEOUT_MS = 10_000;

export type StreamTarget = { readonly host: string; readonly port: number } & ({ readonly tls: false } | { readonly tls: true; readonly options: ConnectionOptions });

export class StreamConnection {
  private socket: Socket | null = null;
  private closed = false;
  private connecting: Socket | null = null;

  constructor(private readonly target: StreamTarget) {}

  private open(): Promise<Socket> {
    const t = this.target;
    return new Promise((resolve, reject) => {
      const s = t.tls ? tlsConnect({ host: t.host, port: t.port, ...t.options }) : netConnect({ host: t.host, port: t.port });
      this.connecting = s;
      const fail = (e: Error): void => {
        if (this.connecting === s) this.connecting = null;
        s.destroy();
        reject(e);
      };
      s.once('close', () => fail(new Error(`connection to ${t.host}:${t.port} closed`)));
      s.setTimeout(CONNECT_TIMEOUT_MS, () => fail(new Error(`connecting to ${t.host}:${t.port} timed out`)));
      s.once('error', fail);
      s.once(t.tls ? 'secureConnect' : 'connect', () => {
        s.setTimeout(0);
        s.off('error', fail);
        if (this.closed) return fail(new Error('closed'));
        this.connecting = null;
        // From now on a broken connection is only forgotten; the next write opens a new one.
        const forget = (): void => {
          if (this.socket === s) this.socket = null;
          s.destroy();
        };
        s.on('error', forget);
        s.on('end', forget);
        s.on('close', forget);
        s.resume(); // nothing is expected back; drain whatever comes
        resolve(s);
      });
    });
  }

  async write(data: Buffer): Promise<void> {
    if (this.closed) throw new Error('closed');
    if (this.socket === null || this.socket.destroyed || this.socket.writableEnded) this.socket = await this.open();
    const s = this.socket;
    await new Promise<void>((resolve, reject) => {
      s.write(data, (e) => (e ? reject(e) : resolve()));
    }).catch((e: unknown) => {
      if (this.socket === s) this.socket = null;
      s.destroy();
      throw e;
    });
  }

  close(): void {
    this.closed = true;
    this.connecting?.destroy();
    this.socket?.destroy();
    this.socket = null;
  }
}
