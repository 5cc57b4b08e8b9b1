// Syslog over RELP (rsyslog's Reliable Event Logging Protocol), plain or over TLS: the source that
// acknowledges a message only after the transaction storing it (records and tlog leaves) committed.
// Listens, accepts, wires each connection to the ingest queue's commit notifications, and on stop
// answers everything committed, says `serverclose` and closes. Never acknowledges before the commit.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Config } from '../config/schema.js';
import { newConnKey } from '../ids.js';
import { Counter } from '../pipeline/metrics.js';
import type { ConnMeta } from '../pipeline/frame-batch.js';
import { RelpConnection } from './relp-connection.js';
import { RelpResendWatch } from './relp-resend.js';
import { peerOf } from './stream-connections.js';
import { listen } from './syslog-tcp.js';
import { createTlsListener } from './tls-server.js';
import type { ServerTlsIdentity } from './tls-identity.js';
import type { Running, SourceContext } from './types.js';

/** RELP over TLS takes its certificate and client-certificate settings from `sources.tls`. */
export interface RelpTlsSettings {
  readonly identity: ServerTlsIdentity;
  readonly caFile: string | null;
  readonly requireClientCert: boolean;
}

/** How long stop() waits for peers to take their last answers and `serverclose` before cutting them. */
const STOP_GRACE_MS = 3000;

export const startRelp = async (ctx: SourceContext, opts: Config['sources']['relp'], tls: RelpTlsSettings | null = null): Promise<Running> => {
  const conns = new Set<RelpConnection>();
  const resent = ctx.metrics.registry.add(
    new Counter('countersign_relp_resent_total', 'RELP frames a sender sent again on a new connection after its previous one broke without an answer; stored again, counted here (same process only).'),
  );
  resent.inc({}, 0); // a series from the start, so a scrape sees 0 rather than nothing
  const resend = new RelpResendWatch();
  const hooks = { resend, resent: () => resent.inc(), closed: (c: RelpConnection) => conns.delete(c) };
  const connOpts = { maxFrameBytes: opts.maxFrameBytes, window: opts.window };
  const accept = (socket: Socket, meta: ConnMeta): void => {
    socket.setNoDelay(true);
    ctx.metrics.connections.inc({ transport: 'relp', outcome: 'accepted' });
    conns.add(new RelpConnection(socket, meta, ctx, connOpts, hooks));
  };
  const progress = (): void => {
    for (const c of conns) c.onProgress();
  };
  const offCommitted = ctx.ingest.onFramesCommitted(progress);
  const offPressure = ctx.ingest.onStreamPressure(progress);

  const server = tls === null ? plainServer(accept) : tlsServer(ctx, tls, accept);
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => {
    ctx.metrics.connections.inc({ transport: 'relp', outcome: 'refused-max' });
    ctx.ingest.countRejected('relp', 'connection-refused-max');
  });
  const address = await listen(server, opts.host, opts.port, tls === null ? 'relp' : 'relp over tls');
  ctx.metrics.gauges.set({ what: 'open_connections', transport: 'relp' }, () => conns.size);
  ctx.metrics.gauges.set({ what: 'relp_unacked', transport: 'relp' }, () => {
    let n = 0;
    for (const c of conns) n += c.unacked;
    return n;
  });
  ctx.metrics.gauges.set({ what: 'relp_window', transport: 'relp' }, () => opts.window);

  return {
    id: 'relp',
    address: { ...address, protocol: 'tcp' },
    stop: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      const open = [...conns];
      for (const c of open) c.beginStop();
      // Commit what was read, so that every stored frame is answered before `serverclose`.
      await ctx.ingest.flush();
      progress();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, STOP_GRACE_MS)));
      await Promise.race([Promise.all(open.map((c) => c.closed)), grace]);
      clearTimeout(timer);
      for (const c of conns) c.destroy();
      offCommitted();
      offPressure();
      await closed;
    },
  };
};

const plainServer = (accept: (s: Socket, m: ConnMeta) => void): Server =>
  createTcpServer({ noDelay: true }, (socket) => accept(socket, { key: newConnKey(), transport: 'relp', peer: peerOf(socket), peerIdentity: null }));

/** As sources.tls does it (tls-server.ts): a verified client certificate's subject is the sender's identity. */
const tlsServer = (ctx: SourceContext, tls: RelpTlsSettings, accept: (s: Socket, m: ConnMeta) => void): Server =>
  createTlsListener(ctx, { transport: 'relp', identity: tls.identity, caFile: tls.caFile, requireClientCert: tls.requireClientCert }, (socket, peer, peerIdentity) =>
    accept(socket, { key: newConnKey(), transport: 'relp', peer, peerIdentity }),
  );
