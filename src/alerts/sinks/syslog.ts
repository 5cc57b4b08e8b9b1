// Syslog sink: each alert as an RFC 5424 message to a collector over TCP (octet-counted, RFC 6587) or
// TLS (RFC 5425), on one connection kept open. Without a receipt in the protocol, "delivered" means
// the kernel took the bytes on a connection that was open.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { Clock } from '../../clock.js';
import { CS_ERR } from '../../errors.js';
import type { AlertSink, SinkConfig } from '../types.js';
import { StreamConnection } from './stream-connection.js';
import { octetCounted, syslogMessage } from './syslog-message.js';

export type SyslogSinkConfig = Extract<SinkConfig, { type: 'syslog' }>;

export const syslogSink = (cfg: SyslogSinkConfig, clock: Clock, optionPath = 'alerts.routes.sink'): AlertSink => {
  let ca: Buffer | undefined;
  if (cfg.caFile !== undefined) {
    try {
      ca = readFileSync(cfg.caFile);
    } catch (e) {
      throw CS_ERR.configInvalid('(configuration)', `${optionPath}.caFile`, `cannot read ${cfg.caFile}: ${String((e as Error)?.message ?? e)}`);
    }
  }
  const conn = new StreamConnection(
    cfg.transport === 'tls'
      ? { host: cfg.host, port: cfg.port, tls: true, options: { ...(ca !== undefined ? { ca } : {}), ...(isIP(cfg.host) === 0 ? { servername: cfg.host } : {}), minVersion: 'TLSv1.2' } }
      : { host: cfg.host, port: cfg.port, tls: false },
  );
  const self = hostname();
  return {
    type: 'syslog',
    async send(alert) {
      const msg = syslogMessage(alert, { facility: cfg.facility, hostname: self, procId: String(process.pid), now: clock.now() });
      try {
        await conn.write(octetCounted(msg));
      } catch (e) {
        throw new Error(`syslog ${cfg.transport} ${cfg.host}:${cfg.port}: ${(e as Error).message}`, { cause: e });
      }
    },
    async close() {
      conn.close();
    },
  };
};
