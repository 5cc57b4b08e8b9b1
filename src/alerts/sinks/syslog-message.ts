// An alert as one RFC 5424 syslog message, octet-counted (RFC 6587 §3.4.1, as RFC 5425 frames TLS):
// structured data [countersign@32473 …] carries rule, level and session; MSG is the alert as JSON.
// 32473 is the enterprise number RFC 5612 sets aside for examples: Countersign has none of its own.
import { escapeControls } from '../../model/escape.js';
import type { HitLevel } from '../../model/risk.js';
import { alertJson } from '../render.js';
import type { Alert } from '../types.js';

export const SD_ID = 'countersign@32473';
export const APP_NAME = 'countersign';

/** Syslog severity of each rule level. */
export const SEVERITY: Readonly<Record<HitLevel, number>> = { informational: 6, low: 5, medium: 4, high: 3, critical: 2 };

/** PARAM-VALUE escaping (RFC 5424 §6.3.3); control characters are shown, not sent. */
const sdValue = (s: string): string => escapeControls(s).replace(/[\\"\]]/g, (c) => `\\${c}`);

/** HOSTNAME / APP-NAME / PROCID fields: printable US-ASCII without spaces, or the NILVALUE. */
export const headerField = (s: string, max: number): string => {
  const v = s.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return v === '' ? '-' : v;
};

export interface SyslogMessageOptions {
  readonly facility: number;
  /** This collector's host name. */
  readonly hostname: string;
  readonly procId: string;
  /** When the message is made, ms since the epoch (the injected clock's). */
  readonly now: number;
}

export const syslogMessage = (a: Alert, o: SyslogMessageOptions): string => {
  const params: [string, string | number | null][] = [
    ['id', a.id],
    ['kind', a.kind],
    ['route', a.route],
    ['rule', a.rule],
    ['level', a.level],
    ['session', a.session],
    ['host', a.host],
    ['count', a.count],
    ['seq', a.seq],
  ];
  const sd = `[${SD_ID}${params
    .filter((p): p is [string, string | number] => p[1] !== null)
    .map(([k, v]) => ` ${k}="${sdValue(String(v))}"`)
    .join('')}]`;
  const pri = o.facility * 8 + SEVERITY[a.level];
  const header = `<${pri}>1 ${new Date(o.now).toISOString()} ${headerField(o.hostname, 255)} ${APP_NAME} ${headerField(o.procId, 128)} ${a.kind}`;
  // MSG in UTF-8, marked so with the BOM (§6.4).
  return `${header} ${sd} \ufeff${JSON.stringify(alertJson(a))}`;
};

/** RFC 6587 octet counting: the byte length, a space, the message. */
export const octetCounted = (msg: string): Buffer => {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
};
