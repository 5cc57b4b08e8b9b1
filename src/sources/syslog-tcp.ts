// Syslog over plain TCP (RFC 6587). Peer identity is only the claimed address: records from here
// are unauthenticated, and say so by having no peer identity.
import { createServer, type Server } from 'node:net';
import { CS_ERR } from '../errors.js';
import { newConnKey } from '../ids.js';
import type { Config } from '../config/schema.js';
import { peerOf, StreamConnections } from './stream-connections.js';
import type { Running, SourceContext } from './types.js';

export const listen = (server: Server, host: string, port: number, what: string): Promise<{ host: string; port: number }> =>
  new Promise((resolve, reject) => {
    server.once('error', (e) => reject(CS_ERR.listenFailed(what, `${host}:${port}`, e)));
    server.listen({ host, port }, () => {
      const a = server.address();
      resolve({ host, port: typeof a === 'object' && a !== null ? a.port : port });
    });
  });

export const startSyslogTcp = async (ctx: SourceContext, opts: Config['sources']['tcp']): Promise<Running> => {
  const conns = new StreamConnections(ctx, opts.maxFrameBytes);
  const server = createServer({ noDelay: true });
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => {
    ctx.metrics.connections.inc({ transport: 'tcp', outcome: 'refused-max' });
    ctx.ingest.countRejected('tcp', 'connection-refused-max');
  });
  server.on('connection', (socket) => {
    ctx.metrics.connections.inc({ transport: 'tcp', outcome: 'accepted' });
    conns.add(socket, { key: newConnKey(), transport: 'tcp', peer: peerOf(socket), peerIdentity: null });
  });
  const address = await listen(server, opts.host, opts.port, 'syslog tcp');
  ctx.metrics.gauges.set({ what: 'open_connections', transport: 'tcp' }, () => conns.size);
  return {
    id: 'syslog-tcp',
    address: { ...address, protocol: 'tcp' },
    stop: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        conns.drainAndClose();
      });
    },
  };
};
