// A tiny loopback syslog sink for tests (plain TCP, TLS or UDP): collects every received message,
// LF-framed or RFC 6587 octet-counted, so a test can prove delivery without the Countersign server.
// Listens on 127.0.0.1 only, on an OS-chosen port; must always be closed by the test (afterEach/finally).
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface LineSinkOptions {
  protocol?: 'tcp' | 'tls' | 'udp';
  /** Stream framing. 'auto' (default) treats a frame starting with a digit as octet-counted. */
  framing?: 'lf' | 'octet' | 'auto';
  /** TLS: server cert/key, and a CA to require + verify client certs against (omit for no client auth). */
  tls?: { cert: string; key: string; clientCa?: string };
}

export interface LineSink {
  port: number;
  /** Messages in arrival order (without the LF / length prefix). */
  messages: string[];
  /** TLS: subject CN of each verified client certificate, per accepted connection. */
  peerCommonNames: string[];
  /** Connections accepted (TLS: handshakes completed). */
  connections: number;
  /** TLS handshake / socket errors seen. */
  errors: string[];
  /** Resolves when at least n messages arrived; rejects after timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Incremental stream decoder for LF-terminated and octet-counted syslog frames. */
function makeDecoder(framing: 'lf' | 'octet' | 'auto', emit: (msg: string) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let pos = 0;
    for (;;) {
      if (pos >= buf.length) break;
      const first = buf[pos]!;
      const octet = framing === 'octet' || (framing === 'auto' && first >= 0x31 && first <= 0x39);
      if (octet) {
        const sp = buf.indexOf(0x20, pos);
        if (sp < 0) break;
        const len = Number(buf.toString('ascii', pos, sp));
        if (!Number.isInteger(len)) throw new Error(`bad octet count at ${pos}`);
        if (sp + 1 + len > buf.length) break;
        emit(buf.toString('utf8', sp + 1, sp + 1 + len));
        pos = sp + 1 + len;
      } else {
        const lf = buf.indexOf(0x0a, pos);
        if (lf < 0) break;
        emit(buf.toString('utf8', pos, lf));
        pos = lf + 1;
      }
    }
    buf = pos === 0 ? buf : buf.subarray(pos);
  };
}

export async function startLineSink(opts: LineSinkOptions = {}): Promise<LineSink> {
  const protocol = opts.protocol ?? 'tcp';
  const messages: string[] = [];
  const peerCommonNames: string[] = [];
  const errors: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let close: () => Promise<void>;
  let port: number;

  if (protocol === 'udp') {
    const sock = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    sock.on('message', (m) => messages.push(m.toString('utf8').replace(/\n$/, '')));
    sock.bind(0, '127.0.0.1');
    await once(sock, 'listening');
    port = sock.address().port;
    close = () => new Promise((res) => sock.close(() => res()));
  } else {
    const onSocket = (s: Socket): void => {
      connections++;
      sockets.add(s);
      const decode = makeDecoder(opts.framing ?? 'auto', (m) => messages.push(m));
      s.on('data', (d: Buffer) => {
        try {
          decode(d);
        } catch (e) {
          errors.push((e as Error).message);
          s.destroy();
        }
      });
      s.on('error', (e) => errors.push(e.message));
      s.on('close', () => sockets.delete(s));
    };
    let server: Server;
    if (protocol === 'tls') {
      if (!opts.tls) throw new Error('startLineSink: protocol tls needs tls files');
      const t = opts.tls;
      server = createTlsServer(
        {
          cert: readFileSync(t.cert),
          key: readFileSync(t.key),
          ...(t.clientCa ? { ca: readFileSync(t.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
        },
        (s: TLSSocket) => {
          const cn = s.getPeerCertificate()?.subject?.CN;
          if (cn) peerCommonNames.push(Array.isArray(cn) ? cn.join(',') : cn);
          onSocket(s);
        },
      );
      server.on('tlsClientError', (e) => errors.push(`tlsClientError: ${e.message}`));
    } else {
      server = createNetServer(onSocket);
    }
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const addr = server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
    close = async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    };
  }

  const sink: LineSink = {
    port,
    messages,
    peerCommonNames,
    get connections() {
      return connections;
    },
    errors,
    async waitFor(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) {
          throw new Error(`line sink got ${messages.length}/${n} messages in ${timeoutMs} ms; errors: ${errors.join(' | ')}`);
        }
        await sleep(20);
      }
    },
    close: () => close(),
  };
  return sink;
}
