// Syslog over TLS (RFC 5425). With a CA configured, clients are asked for a certificate; the subject
// of a verified one is recorded on every record as the sender's authenticated identity. A client
// whose certificate does not verify is refused (requireClientCert) or kept as unauthenticated.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { Config } from '../config/schema.js';
import { newConnKey } from '../ids.js';
import { listen } from './syslog-tcp.js';
import { peerOf, StreamConnections } from './stream-connections.js';
import type { ServerTlsIdentity } from './tls-identity.js';
import type { Running, SourceContext } from './types.js';

/** "CN=router1,O=Example" from a certificate subject, in the certificate's order. */
export const subjectText = (subject: Record<string, string | string[]> | undefined): string | null => {
  if (subject === undefined) return null;
  const parts = Object.entries(subject).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}=${x}`) : [`${k}=${v}`]));
  return parts.length > 0 ? parts.join(',') : null;
};

export const startSyslogTls = async (ctx: SourceContext, opts: Config['sources']['tls'], identity: ServerTlsIdentity): Promise<Running> => {
  const conns = new StreamConnections(ctx, opts.maxFrameBytes);
  const ca = opts.caFile !== null ? readFileSync(opts.caFile, 'utf8') : undefined;
  const server = createServer({
    cert: identity.cert,
    key: identity.key,
    ca,
    requestCert: ca !== undefined,
    // Verified below, after the handshake, so that a refusal can say exactly why (OpenSSL's own
    // rejection under TLS 1.3 often reaches us only as a reset: "socket hang up").
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    handshakeTimeout: 10_000,
  });
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => {
    ctx.metrics.connections.inc({ transport: 'tls', outcome: 'refused-max' });
    ctx.ingest.countRejected('tls', 'connection-refused-max');
  });
  // A refused handshake destroys the TLS socket before 'tlsClientError' is emitted, taking its address
  // along; remember each peer at TCP accept so the refusal can name who it was.
  const rawPeers = new WeakMap<object, string>();
  server.on('connection', (raw: Socket) => rawPeers.set(raw, peerOf(raw)));
  server.on('tlsClientError', (err, socket) => {
    const parent = (socket as unknown as { _parent?: object })._parent;
    const peer = (parent !== undefined ? rawPeers.get(parent) : undefined) ?? peerOf(socket);
    ctx.metrics.connections.inc({ transport: 'tls', outcome: 'tls-handshake-failed' });
    ctx.ingest.countRejected('tls', 'tls-handshake-failed');
    ctx.log.warn({ peer, reason: err.message, code: (err as NodeJS.ErrnoException).code }, 'TLS client rejected');
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = peerOf(socket);
    let peerIdentity: string | null = null;
    if (ca !== undefined) {
      const pc = socket.getPeerCertificate();
      const presented = pc !== undefined && Object.keys(pc).length > 0;
      if (socket.authorized) peerIdentity = subjectText(pc.subject as unknown as Record<string, string>);
      else {
        const reason = presented
          ? `client certificate not accepted: ${String(socket.authorizationError)} (subject ${subjectText(pc.subject as unknown as Record<string, string>) ?? '?'}, issuer ${subjectText(pc.issuer as unknown as Record<string, string>) ?? '?'})`
          : 'no client certificate presented';
        if (opts.requireClientCert) {
          ctx.metrics.connections.inc({ transport: 'tls', outcome: 'tls-handshake-failed' });
          ctx.ingest.countRejected('tls', 'tls-client-cert-refused');
          ctx.log.warn({ peer, reason }, 'TLS client rejected');
          socket.destroy();
          return;
        }
        ctx.log.warn({ peer, reason }, 'TLS client not authenticated: its records are kept as unauthenticated');
      }
    }
    ctx.metrics.connections.inc({ transport: 'tls', outcome: 'accepted' });
    ctx.log.debug({ peer, peerIdentity }, 'TLS client connected');
    conns.add(socket, { key: newConnKey(), transport: 'tls', peer, peerIdentity });
  });
  const address = await listen(server, opts.host, opts.port, 'syslog tls');
  ctx.metrics.gauges.set({ what: 'open_connections', transport: 'tls' }, () => conns.size);
  return {
    id: 'syslog-tls',
    address: { ...address, protocol: 'tcp' },
    stop: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        conns.drainAndClose();
      });
    },
  };
};
