// Syslog over TLS (RFC 5425). With a CA configured, clients are asked for a certificate; the subject
// of a verified one is recorded on every record as the sender's authenticated identity. A client
// whose certificate does not verify is refused (requireClientCert) or kept as unauthenticated.
import type { Config } from '../config/schema.js';
import { newConnKey } from '../ids.js';
import { listen } from './syslog-tcp.js';
import { StreamConnections } from './stream-connections.js';
import { createTlsListener } from './tls-server.js';
import type { ServerTlsIdentity } from './tls-identity.js';
import type { Running, SourceContext } from './types.js';

export const startSyslogTls = async (ctx: SourceContext, opts: Config['sources']['tls'], identity: ServerTlsIdentity): Promise<Running> => {
  const conns = new StreamConnections(ctx, opts.maxFrameBytes);
  const server = createTlsListener(ctx, { transport: 'tls', identity, caFile: opts.caFile, requireClientCert: opts.requireClientCert }, (socket, peer, peerIdentity) => {
    ctx.metrics.connections.inc({ transport: 'tls', outcome: 'accepted' });
    ctx.log.debug({ peer, peerIdentity }, 'TLS client connected');
    conns.add(socket, { key: newConnKey(), transport: 'tls', peer, peerIdentity });
  });
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => {
    ctx.metrics.connections.inc({ transport: 'tls', outcome: 'refused-max' });
    ctx.ingest.countRejected('tls', 'connection-refused-max');
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
