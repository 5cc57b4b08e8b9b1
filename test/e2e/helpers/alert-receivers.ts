// Real receivers on loopback for the alert sinks: an HTTP webhook (node:http), an SMTP server
// (smtp-server), GELF over UDP (node:dgram: chunks reassembled, gzip undone) and over TCP (NUL-framed).
// Each listens on 127.0.0.1 on a port the OS picks, records what arrived, and must be closed by its test.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { SMTPServer } from 'smtp-server';

/** Calls back when `pred` holds after an arrival (or already holds); rejects after timeoutMs (a deadline, not an assertion). */
class Arrivals<T> {
  readonly items: T[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => (this.items.length >= w.n ? (w.resolve(), false) : true));
  }

  waitFor(n: number, what: string, timeoutMs = 20_000): Promise<void> {
    if (this.items.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${what}: ${this.items.length}/${n} arrived`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
    });
  }
}

export interface WebhookRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Webhook {
  readonly url: string;
  readonly requests: WebhookRequest[];
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** `status(n)`: the HTTP status of the n-th request (1-based); 200 by default. */
export const startWebhook = async (status: (n: number) => number = () => 200): Promise<Webhook> => {
  const got = new Arrivals<WebhookRequest>();
  let n = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      const code = status(++n);
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code === 200 ? 'ok' : 'receiver says no');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests: got.items,
    waitFor: (k) => got.waitFor(k, 'webhook requests'),
    close: () => new Promise((r) => server.close(() => r())),
  };
};

export interface MailMessage {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}

export interface Smtp {
  readonly port: number;
  readonly messages: MailMessage[];
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** A plain SMTP server without STARTTLS or auth, keeping each message's raw text. */
export const startSmtp = async (): Promise<Smtp> => {
  const got = new Arrivals<MailMessage>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const env = session.envelope;
        got.push({ from: env.mailFrom === false ? '' : env.mailFrom.address, to: env.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as { port: number };
  return { port, messages: got.items, waitFor: (k) => got.waitFor(k, 'mails'), close: () => new Promise((r) => server.close(() => r())) };
};

export interface GelfReceiver {
  readonly port: number;
  readonly messages: Record<string, unknown>[];
  /** UDP: datagrams received (a chunked message counts each chunk). */
  readonly datagrams: number[];
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

const decodeGelf = (b: Buffer): Record<string, unknown> => JSON.parse((b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8')) as Record<string, unknown>;

/** GELF over UDP as Graylog reads it: chunks (0x1e 0x0f) joined by message id, gzip detected by its magic. */
export const startGelfUdp = async (): Promise<GelfReceiver> => {
  const got = new Arrivals<Record<string, unknown>>();
  const datagrams: number[] = [];
  const partial = new Map<string, Buffer[]>();
  const sock = createSocket('udp4');
  sock.on('message', (d) => {
    datagrams.push(d.length);
    if (d[0] === 0x1e && d[1] === 0x0f) {
      const id = d.subarray(2, 10).toString('hex');
      const seq = d[10]!;
      const count = d[11]!;
      const parts = partial.get(id) ?? new Array<Buffer>(count);
      parts[seq] = d.subarray(12);
      partial.set(id, parts);
      if (parts.filter(Boolean).length === count) {
        partial.delete(id);
        got.push(decodeGelf(Buffer.concat(parts)));
      }
      return;
    }
    got.push(decodeGelf(d));
  });
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  return {
    port: sock.address().port,
    messages: got.items,
    datagrams,
    waitFor: (k) => got.waitFor(k, 'GELF messages'),
    close: () => new Promise((r) => sock.close(() => r())),
  };
};

/** GELF over TCP: JSON messages, each ended by a NUL byte. */
export const startGelfTcp = async (): Promise<GelfReceiver> => {
  const got = new Arrivals<Record<string, unknown>>();
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    let buf = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      let i: number;
      while ((i = buf.indexOf(0)) >= 0) {
        got.push(JSON.parse(buf.subarray(0, i).toString('utf8')) as Record<string, unknown>);
        buf = buf.subarray(i + 1);
      }
    });
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    messages: got.items,
    datagrams: [],
    waitFor: (k) => got.waitFor(k, 'GELF messages'),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
};
