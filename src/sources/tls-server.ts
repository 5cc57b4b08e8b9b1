// The TLS listener every TLS source shares (syslog over TLS, RELP over TLS): the server's certificate,
// client certificates asked for when a CA is configured and verified after the handshake (so that a
// refusal can say exactly why: OpenSSL's own rejection under TLS 1.3 often reaches us only as a reset),
// and the verified certificate's subject as the sender's identity. Refusals are counted and logged
// with the sender's address.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Transport } from '../model/record.js';
import { peerOf } from './stream-connections.js';
import type { ServerTlsIdentity } from './tls-identity.js';
import type { SourceContext } from './types.js';

/** "CN=router1,O=Example" from a certificate subject, in the certificate's order. */
export const subjectText = (subject: Record<string, string | string[]> | undefined): string | null => {
  if (subject === undefined) return null;
  const parts = Object.entries(subject).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}=${x}`) : [`${k}=${v}`]));
  return parts.length > 0 ? parts.join(',') : null;
};

export interface TlsListenOptions {
  readonly transport: Transport;
  readonly identity: ServerTlsIdentity;
  /** CA bundle client certificates must chain to; null: none asked for. */
  readonly caFile: string | null;
  readonly requireClientCert: boolean;
}

/** A TLS server that hands each accepted socket on with its address and verified identity (or null). */
export const createTlsListener = (ctx: SourceContext, o: TlsListenOptions, accept: (socket: TLSSocket, peer: string, peerIdentity: string | null) => void): Server => {
  const ca = o.caFile !== null ? readFileSync(o.caFile, 'utf8') : undefined;
  const server = createServer({ cert: o.identity.cert, key: o.identity.key, ca, requestCert: ca !== undefined, rejectUnauthorized: false, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 });
  const t = o.transport;
  // A refused handshake destroys the TLS socket before 'tlsClientError' is emitted, taking its address
  // along; remember each peer at TCP accept so the refusal can name who it was.
  const rawPeers = new WeakMap<object, string>();
  server.on('connection', (raw: Socket) => rawPeers.set(raw, peerOf(raw)));
  server.on('tlsClientError', (err, socket) => {
    const parent = (socket as unknown as { _parent?: object })._parent;
    const peer = (parent !== undefined ? rawPeers.get(parent) : undefined) ?? peerOf(socket);
    ctx.metrics.connections.inc({ transport: t, outcome: 'tls-handshake-failed' });
    ctx.ingest.countRejected(t, 'tls-handshake-failed');
    ctx.log.warn({ transport: t, peer, reason: err.message, code: (err as NodeJS.ErrnoException).code }, 'TLS client rejected');
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
        if (o.requireClientCert) {
          ctx.metrics.connections.inc({ transport: t, outcome: 'tls-handshake-failed' });
          ctx.ingest.countRejected(t, 'tls-client-cert-refused');
          ctx.log.warn({ transport: t, peer, reason }, 'TLS client rejected');
          socket.destroy();
          return;
        }
        ctx.log.warn({ transport: t, peer, reason }, 'TLS client not authenticated: its records are kept as unauthenticated');
      }
    }
    accept(socket, peer, peerIdentity);
  });
  return server;
};
