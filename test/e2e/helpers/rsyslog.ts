// Test-side rsyslog helper: re-exports the private-rsyslogd runner from bench/rsyslog-process.ts and
// adds forwardConfig() (imtcp/imfile input -> omfwd over TCP, UDP or TLS with a queue that never drops).
// Never touches /dev/log or the system rsyslog; every listener and target here is loopback only.
import { NO_DROP_QUEUE_TAIL, rsq } from '../../../bench/rsyslog-process.js';

export {
  freePort,
  inputPorts,
  NO_DROP_QUEUE_TAIL,
  portAccepts,
  receiveToFileConfig,
  rsq,
  rsyslogdPath,
  startRsyslog,
} from '../../../bench/rsyslog-process.js';
export type { ReceiveToFileOptions, RsyslogProcess, StartRsyslogOptions } from '../../../bench/rsyslog-process.js';

export type ForwardInput =
  | { kind: 'imtcp'; port: number }
  /** Reads the whole file from the beginning, then follows it. */
  | { kind: 'imfile'; file: string; tag?: string };

/** rsyslog's built-in templates: RFC 5424 (default) or RFC 3164 with a precise timestamp. */
export type ForwardTemplate = 'RSYSLOG_SyslogProtocol23Format' | 'RSYSLOG_ForwardFormat' | (string & {});

export type ForwardTarget =
  | {
      protocol: 'tcp' | 'udp';
      host: string;
      port: number;
      /** TCP only. Default 'traditional' (LF-terminated). */
      framing?: 'traditional' | 'octet-counted';
      template?: ForwardTemplate;
    }
  | {
      protocol: 'tls';
      host: string;
      port: number;
      caFile: string;
      certFile?: string;
      keyFile?: string;
      /** 'x509/name' checks the server cert's SAN/CN against permittedPeer (default: host). */
      authMode: 'anon' | 'x509/name' | 'x509/certvalid';
      permittedPeer?: string;
      framing?: 'traditional' | 'octet-counted';
      template?: ForwardTemplate;
    };

export interface ForwardConfigOptions {
  input: ForwardInput;
  target: ForwardTarget;
  /** Action queue size in messages (nothing is dropped below it). Default 2 000 000. */
  queueSize?: number;
}

export const DEFAULT_IMFILE_TAG = 'cs-imfile:';

/** RainerScript that forwards everything arriving on `input` to `target`, losing nothing on rsyslog's side. */
export function forwardConfig(o: ForwardConfigOptions): string {
  const { input, target } = o;
  const size = o.queueSize ?? 2_000_000;
  const inputConf =
    input.kind === 'imtcp'
      ? `module(load="imtcp")\ninput(type="imtcp" port=${rsq(input.port)} address="127.0.0.1" ruleset="cs_forward")`
      : `module(load="imfile" mode="inotify")\n` +
        `input(type="imfile" file=${rsq(input.file)} tag=${rsq(input.tag ?? DEFAULT_IMFILE_TAG)}\n` +
        `      facility="local0" severity="info" freshStartTail="off" persistStateInterval="1000"\n` +
        `      ruleset="cs_forward")`;

  const template = target.template ?? 'RSYSLOG_SyslogProtocol23Format';
  const params: string[] = [
    `target=${rsq(target.host)}`,
    `port=${rsq(target.port)}`,
    `protocol=${rsq(target.protocol === 'udp' ? 'udp' : 'tcp')}`,
    `template=${rsq(template)}`,
  ];
  if (target.protocol !== 'udp') {
    params.push(`tcp_framing=${rsq(target.framing ?? 'traditional')}`, `resendLastMSGOnReconnect="on"`);
  }
  if (target.protocol === 'tls') {
    params.push(
      `StreamDriver="gtls"`,
      `StreamDriverMode="1"`,
      `StreamDriverAuthMode=${rsq(target.authMode)}`,
      `StreamDriver.CAFile=${rsq(target.caFile)}`,
    );
    if (target.authMode === 'x509/name') {
      params.push(`StreamDriverPermittedPeers=${rsq(target.permittedPeer ?? target.host)}`);
    }
    if (target.certFile) params.push(`StreamDriver.CertFile=${rsq(target.certFile)}`);
    if (target.keyFile) params.push(`StreamDriver.KeyFile=${rsq(target.keyFile)}`);
  }
  params.push(
    `queue.type="LinkedList"`,
    `queue.size=${rsq(size)}`,
    NO_DROP_QUEUE_TAIL(size),
    `action.resumeRetryCount="-1"`,
    `action.resumeInterval="1"`,
  );
  return `
global(net.enableDNS="off")
${inputConf}
ruleset(name="cs_forward") {
  action(type="omfwd"
         ${params.join('\n         ')})
}
`;
}
