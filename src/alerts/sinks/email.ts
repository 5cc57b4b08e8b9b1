// Email sink: one plain-text mail per alert over SMTP (nodemailer). Never HTML: log content is hostile,
// so the body is text whose log values are JSON strings, and nothing is fetched or attached.
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import type { Clock } from '../../clock.js';
import { CS_ERR } from '../../errors.js';
import { alertHeadline, alertText } from '../render.js';
import type { AlertSink, SinkConfig } from '../types.js';

export type EmailSinkConfig = Extract<SinkConfig, { type: 'email' }>;

/** `optionPath`: where passwordFile is in the configuration, for the start-up error. */
export const emailSink = (cfg: EmailSinkConfig, clock: Clock, optionPath = 'alerts.routes.sink'): AlertSink => {
  let pass: string | undefined;
  if (cfg.passwordFile !== undefined) {
    try {
      pass = readFileSync(cfg.passwordFile, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (e) {
      throw CS_ERR.configInvalid('(configuration)', `${optionPath}.passwordFile`, `cannot read ${cfg.passwordFile}: ${String((e as Error)?.message ?? e)}`);
    }
  }
  const transport = createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    ...(cfg.user !== undefined ? { auth: { user: cfg.user, pass: pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    type: 'email',
    async send(alert) {
      const info = await transport.sendMail({
        from: cfg.from,
        to: [...cfg.to],
        subject: `Countersign ${alertHeadline(alert)}`,
        text: alertText(alert),
        date: new Date(clock.now()),
        headers: { 'X-Countersign-Alert-Id': String(alert.id) },
      });
      // Some recipients took it: a retry would mail them again, so it counts as delivered.
      if (info.accepted.length === 0) throw new Error(`SMTP ${cfg.host}:${cfg.port}: no recipient accepted (${info.rejected.length} rejected)`);
    },
    async healthcheck() {
      await transport.verify();
    },
    async close() {
      transport.close();
    },
  };
};
