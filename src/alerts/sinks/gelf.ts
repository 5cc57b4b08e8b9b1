// GELF sink (Graylog): GELF 1.1 JSON over UDP (gzip optional, chunked past 8192 bytes) or over TCP
// (NUL-delimited, one connection kept open). UDP has no receipt: "delivered" means sent.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { hostname } from 'node:os';
import { gzipSync } from 'node:zlib';
import { newGelfMessageId } from '../../ids.js';
import type { AlertSink, SinkConfig } from '../types.js';
import { gelfChunks, gelfMessage } from './gelf-message.js';
import { StreamConnection } from './stream-connection.js';

export type GelfSinkConfig = Extract<SinkConfig, { type: 'gelf' }>;

export const gelfSink = (cfg: GelfSinkConfig): AlertSink => {
  const self = hostname();
  const where = `gelf ${cfg.transport} ${cfg.host}:${cfg.port}`;
  if (cfg.transport === 'tcp') {
    const conn = new StreamConnection({ host: cfg.host, port: cfg.port, tls: false });
    return {
      type: 'gelf',
      async send(alert) {
        // The JSON text has no NUL (JSON escapes every control character), so NUL ends the frame.
        const frame = Buffer.from(`${JSON.stringify(gelfMessage(alert, self))}\0`, 'utf8');
        await conn.write(frame).catch((e: unknown) => {
          throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
        });
      },
      async close() {
        conn.close();
      },
    };
  }
  let socket: Socket | null = null;
  const udp = (): Socket => {
    if (socket === null) {
      const s = createSocket(isIPv6(cfg.host) ? 'udp6' : 'udp4');
      s.on('error', () => {
        s.close();
        if (socket === s) socket = null;
      });
      s.unref();
      socket = s;
    }
    return socket;
  };
  const sendOne = (s: Socket, b: Buffer): Promise<void> =>
    new Promise((resolve, reject) => s.send(b, cfg.port, cfg.host, (e) => (e ? reject(new Error(`${where}: ${e.message}`)) : resolve())));
  return {
    type: 'gelf',
    async send(alert) {
      const json = Buffer.from(JSON.stringify(gelfMessage(alert, self)), 'utf8');
      const payload = cfg.compress ? gzipSync(json) : json;
      const s = udp();
      for (const d of gelfChunks(payload, newGelfMessageId())) await sendOne(s, d);
    },
    async close() {
      socket?.close();
      socket = null;
    },
  };
};
