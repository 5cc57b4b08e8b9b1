// Reading syslog frames from stream connections (TCP and TLS alike): framing, back-pressure
// (every socket pauses while the ingest queue is over its bound) and a draining stop that keeps
// every byte read. Knows nothing of TLS or of how frames are stored.
import type { Socket } from 'node:net';
import { FRAME_OK, type FrameFlag } from './framing/types.js';
import { Rfc6587Framer } from './framing/rfc6587.js';
import type { ConnMeta } from '../pipeline/frame-batch.js';
import type { SourceContext } from './types.js';

interface Conn {
  readonly socket: Socket;
  readonly framer: Rfc6587Framer;
  readonly meta: ConnMeta;
}

export class StreamConnections {
  private readonly conns = new Set<Conn>();
  private paused: boolean;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: SourceContext,
    private readonly maxFrameBytes: number,
  ) {
    this.paused = ctx.ingest.streamsHeld;
    this.unsubscribe = ctx.ingest.onStreamPressure((on) => {
      this.paused = on;
      for (const c of this.conns) {
        if (on) c.socket.pause();
        else c.socket.resume();
      }
      // Routine under load (every few batches), so not at info: `overloaded` is the state worth a line.
      ctx.log.debug({ paused: on, connections: this.conns.size }, on ? 'ingest queue past streamPauseBytes: stream sources paused' : 'ingest queue drained: stream sources resumed');
    });
  }

  get size(): number {
    return this.conns.size;
  }

  add(socket: Socket, meta: ConnMeta): void {
    const framer = new Rfc6587Framer(this.maxFrameBytes);
    const conn: Conn = { socket, framer, meta };
    const ingest = this.ctx.ingest;
    const sink = (frame: Buffer, flag: FrameFlag): void => ingest.push(meta, frame, flag);
    this.conns.add(conn);
    socket.on('data', (chunk: Buffer) => {
      const e = framer.push(chunk, sink);
      if (e !== null) {
        this.ctx.log.warn({ transport: meta.transport, peer: meta.peer, error: e.message }, 'framing error: connection closed');
        this.ctx.metrics.connections.inc({ transport: meta.transport, outcome: 'framing-error' });
        ingest.countRejected(meta.transport, e.type);
        this.conns.delete(conn);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      framer.end('eof', sink);
      this.conns.delete(conn);
    });
    socket.on('close', () => this.conns.delete(conn));
    socket.on('error', (err) => {
      this.ctx.log.debug({ transport: meta.transport, peer: meta.peer, err: err.message }, 'connection error');
    });
    if (this.paused) socket.pause();
  }

  /** Reads what Node already buffered, hands partial frames over as incomplete, closes every connection. */
  drainAndClose(): void {
    this.unsubscribe();
    for (const c of this.conns) {
      const sink = (frame: Buffer, flag: FrameFlag): void => this.ctx.ingest.push(c.meta, frame, flag);
      c.socket.pause();
      c.socket.removeAllListeners('data');
      for (let chunk = c.socket.read() as Buffer | null; chunk !== null; chunk = c.socket.read() as Buffer | null) {
        if (c.framer.push(chunk, sink) !== null) break;
      }
      c.framer.end('shutdown', sink);
      c.socket.destroy();
    }
    this.conns.clear();
  }
}

export const peerOf = (s: Socket): string => {
  const a = s.remoteAddress ?? 'unknown';
  return a.includes(':') ? `[${a}]:${s.remotePort ?? 0}` : `${a}:${s.remotePort ?? 0}`;
};

export { FRAME_OK };
