// Webhook sink: POSTs each alert as JSON (the alert object, or a Slack/Mattermost body) with Node's fetch.
// A 2xx answer is delivery; anything else, a redirect or a timeout is a failure the router retries.
import { escapeControls } from '../../model/escape.js';
import { alertJson } from '../render.js';
import type { AlertSink, SinkConfig } from '../types.js';
import { slackPayload } from './slack.js';

export type WebhookSinkConfig = Extract<SinkConfig, { type: 'webhook' }>;

const TIMEOUT_MS = 10_000;
const ERROR_BODY_CHARS = 200;

export const webhookSink = (cfg: WebhookSinkConfig): AlertSink => {
  const closing = new AbortController();
  const target = new URL(cfg.url);
  const where = `${target.protocol}//${target.host}`;
  return {
    type: 'webhook',
    async send(alert) {
      const body = JSON.stringify(cfg.format === 'slack' ? slackPayload(alert) : alertJson(alert));
      let res: Response;
      try {
        res = await fetch(cfg.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'countersign', 'x-countersign-alert-id': String(alert.id) },
          body,
          redirect: 'error',
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(TIMEOUT_MS)]),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`POST ${where}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, { cause: e });
      }
      const text = await res.text().catch(() => '');
      if (!res.ok) throw new Error(`POST ${where}: HTTP ${res.status}${text === '' ? '' : ` ${escapeControls(text.slice(0, ERROR_BODY_CHARS))}`}`);
    },
    async close() {
      closing.abort();
    },
  };
};
