// Syslog over UDP (RFC 5426): one datagram, one frame. UDP cannot push back, so while the ingest
// queue is full datagrams are dropped and counted; drops in the kernel's own buffer are read from
// /proc/net/udp and exported too. Neither kind of loss is ever hidden.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { CS_ERR } from '../errors.js';
import { newConnKey } from '../ids.js';
import type { Config } from '../config/schema.js';
import type { ConnMeta } from '../pipeline/frame-batch.js';
import { FRAME_OK } from './framing/types.js';
import type { Running, SourceContext } from './types.js';

/** Peers remembered for their shared ConnMeta; a bound so a spoofed flood cannot grow it. */
const PEER_CACHE = 4096;

/** Sum of the kernel's drop counters for sockets bound to this port (last column of /proc/net/udp{,6}). */
export const kernelUdpDrops = (port: number): number => {
  let drops = 0;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 13 || !cols[1]!.endsWith(`:${hexPort}`)) continue;
      drops += Number(cols[cols.length - 1]) || 0;
    }
  }
  return drops;
};

export const startSyslogUdp = async (ctx: SourceContext, opts: Config['sources']['udp']): Promise<Running> => {
  const socket: Socket = createSocket({ type: isIPv6(opts.host) ? 'udp6' : 'udp4', recvBufferSize: opts.receiveBufferBytes });
  let peers = new Map<string, ConnMeta>();
  socket.on('message', (msg, rinfo) => {
    if (ctx.ingest.isOverloaded) {
      ctx.ingest.countRejected('udp', 'queue-full');
      return;
    }
    const peer = rinfo.family === 'IPv6' ? `[${rinfo.address}]:${rinfo.port}` : `${rinfo.address}:${rinfo.port}`;
    let meta = peers.get(peer);
    if (meta === undefined) {
      if (peers.size >= PEER_CACHE) peers = new Map();
      meta = { key: newConnKey(), transport: 'udp', peer, peerIdentity: null };
      peers.set(peer, meta);
    }
    ctx.ingest.push(meta, msg, FRAME_OK);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', (e) => reject(CS_ERR.listenFailed('syslog udp', `${opts.host}:${opts.port}`, e)));
    socket.bind({ address: opts.host, port: opts.port }, () => resolve(socket.address().port));
  });
  socket.on('error', (e) => ctx.log.error({ err: e.message }, 'udp socket error'));
  ctx.metrics.gauges.set({ what: 'udp_kernel_drops' }, () => kernelUdpDrops(port));
  return {
    id: 'syslog-udp',
    address: { host: opts.host, port, protocol: 'udp' },
    stop: () => new Promise<void>((r) => socket.close(() => r())),
  };
};
