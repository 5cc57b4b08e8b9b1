// Load generator: writes a prepared syslog payload to a TCP or TLS listener as fast as the socket
// accepts it (honouring back-pressure), optionally over N connections, then closes cleanly.
// Loopback benchmarking only: it must never retry, reorder or alter bytes, and never run unbounded.
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';

export interface TlsClientFiles {
  /** CA certificate file (PEM) the server cert must chain to. */
  ca: string;
  cert?: string;
  key?: string;
  /** SNI / name to verify. Default: 'localhost' for 127.0.0.1/::1, else host. */
  servername?: string;
}

export interface SendTcpOptions {
  host: string;
  port: number;
  payload: Buffer;
  /** Parallel connections; each sends one contiguous slice cut on a message boundary. Default 1. */
  connections?: number;
  tls?: TlsClientFiles;
  /** Abort (destroy sockets, reject) after this long. Default 300 s. */
  timeoutMs?: number;
  /** Size of each write(). Default 256 KiB. */
  chunkBytes?: number;
}

/**
 * Splits a payload into `parts` contiguous slices on message boundaries. LF-framed payloads are cut
 * after a '\n'; a payload starting with a digit is taken as RFC 6587 octet-counted and cut between frames.
 */
export function splitPayload(payload: Buffer, parts: number): Buffer[] {
  if (parts <= 1 || payload.length === 0) return [payload];
  const octet = payload[0]! >= 0x30 && payload[0]! <= 0x39;
  const cuts: number[] = [0];
  if (octet) {
    // Walk the frames, cutting at the first frame start past each target offset.
    let pos = 0;
    let next = 1;
    while (pos < payload.length && next < parts) {
      if (pos >= Math.floor((payload.length * next) / parts)) {
        if (pos > cuts[cuts.length - 1]!) cuts.push(pos);
        next++;
        continue;
      }
      const sp = payload.indexOf(0x20, pos);
      if (sp < 0) throw new Error(`octet-counted payload: no length at offset ${pos}`);
      const len = Number(payload.toString('ascii', pos, sp));
      if (!Number.isInteger(len) || len < 0) throw new Error(`octet-counted payload: bad length at offset ${pos}`);
      pos = sp + 1 + len;
    }
  } else {
    for (let i = 1; i < parts; i++) {
      const lf = payload.indexOf(0x0a, Math.floor((payload.length * i) / parts));
      if (lf < 0 || lf + 1 >= payload.length) break;
      if (lf + 1 > cuts[cuts.length - 1]!) cuts.push(lf + 1);
    }
  }
  cuts.push(payload.length);
  const slices: Buffer[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) slices.push(payload.subarray(cuts[i], cuts[i + 1]));
  return slices;
}

async function openSocket(o: SendTcpOptions): Promise<Socket> {
  if (!o.tls) {
    const s = netConnect({ host: o.host, port: o.port });
    s.setNoDelay(false);
    await once(s, 'connect');
    return s;
  }
  const loopbackIp = o.host === '127.0.0.1' || o.host === '::1';
  const s = tlsConnect({
    host: o.host,
    port: o.port,
    ca: readFileSync(o.tls.ca),
    ...(o.tls.cert ? { cert: readFileSync(o.tls.cert) } : {}),
    ...(o.tls.key ? { key: readFileSync(o.tls.key) } : {}),
    servername: o.tls.servername ?? (loopbackIp ? 'localhost' : o.host),
    rejectUnauthorized: true,
  });
  await once(s, 'secureConnect');
  return s;
}

async function sendSlice(o: SendTcpOptions, slice: Buffer, sockets: Set<Socket>): Promise<void> {
  const s = await openSocket(o);
  sockets.add(s);
  const closed = once(s, 'close');
  closed.catch(() => undefined); // a socket error rejects it; awaited (and rethrown) below
  const chunk = o.chunkBytes ?? 256 * 1024;
  for (let off = 0; off < slice.length; off += chunk) {
    if (s.destroyed) throw new Error('socket destroyed while sending');
    if (!s.write(slice.subarray(off, Math.min(off + chunk, slice.length)))) {
      await Promise.race([once(s, 'drain'), closed]);
    }
  }
  s.end();
  await closed;
  sockets.delete(s);
}

/** Sends `payload` and resolves once every connection has been closed cleanly. `ms` spans first connect → last close. */
export async function sendTcp(o: SendTcpOptions): Promise<{ bytes: number; ms: number }> {
  const slices = splitPayload(o.payload, Math.max(1, o.connections ?? 1));
  const sockets = new Set<Socket>();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => {
      for (const s of sockets) s.destroy();
      rej(new Error(`sendTcp to ${o.host}:${o.port} timed out after ${o.timeoutMs ?? 300_000} ms`));
    }, o.timeoutMs ?? 300_000);
  });
  try {
    await Promise.race([Promise.all(slices.map((sl) => sendSlice(o, sl, sockets))), timeout]);
  } catch (err) {
    for (const s of sockets) s.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { bytes: o.payload.length, ms: performance.now() - t0 };
}
