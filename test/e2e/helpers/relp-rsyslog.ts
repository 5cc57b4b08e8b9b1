// RainerScript for a private rsyslogd that forwards with `omrelp` (rsyslog-relp) to Countersign:
// imtcp in, omrelp out, with an action queue that never discards and retries for ever, as an
// operator who wants nothing lost would configure it. Loopback only.
import { NO_DROP_QUEUE_TAIL, rsq } from './rsyslog.js';

export interface RelpForwardOptions {
  /** imtcp port the test feeds. */
  inPort: number;
  /** Countersign's RELP port. */
  port: number;
  /** omrelp windowSize (librelp's default is 128). */
  windowSize?: number;
  /** 'memory': LinkedList; 'disk-assisted': LinkedList spilling to `queue.filename` in rsyslog's work directory. */
  queue?: 'memory' | 'disk-assisted';
  /** Action queue size in messages. Default 1 000 000. */
  queueSize?: number;
  /**
   * Messages omrelp sends per action transaction. librelp corks the socket for a transaction
   * (TCP_CORK), so a batch larger than the window stalls up to 200 ms per window waiting for the
   * kernel to flush the last corked segment. Default: half the window.
   */
  dequeueBatchSize?: number;
  /** RELP over TLS: anonymous server check (the server's CA) and an optional client certificate. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
}

export const relpForwardConfig = (o: RelpForwardOptions): string => {
  const size = o.queueSize ?? 1_000_000;
  const params = [
    `target="127.0.0.1"`,
    `port=${rsq(o.port)}`,
    `template="RSYSLOG_SyslogProtocol23Format"`,
    `windowSize=${rsq(o.windowSize ?? 128)}`,
    `queue.type="LinkedList"`,
    `queue.size=${rsq(size)}`,
    `queue.dequeueBatchSize=${rsq(o.dequeueBatchSize ?? Math.max(1, Math.floor((o.windowSize ?? 128) / 2)))}`,
    NO_DROP_QUEUE_TAIL(size),
    `action.resumeRetryCount="-1"`,
    `action.resumeInterval="1"`,
  ];
  if (o.queue === 'disk-assisted') params.push(`queue.filename="cs_relp_q"`, `queue.saveOnShutdown="on"`, `queue.maxDiskSpace="1g"`);
  if (o.tls !== undefined) {
    params.push(`tls="on"`, `tls.caCert=${rsq(o.tls.caFile)}`, `tls.authMode="certvalid"`);
    if (o.tls.certFile !== undefined) params.push(`tls.myCert=${rsq(o.tls.certFile)}`, `tls.myPrivKey=${rsq(o.tls.keyFile ?? '')}`);
  }
  return `
global(net.enableDNS="off" maxMessageSize="64k")
module(load="imtcp")
module(load="omrelp")
input(type="imtcp" port=${rsq(o.inPort)} address="127.0.0.1" ruleset="cs_relp")
ruleset(name="cs_relp") {
  action(type="omrelp"
         ${params.join('\n         ')})
}
`;
};
