// What an alert says, for every sink: the JSON object (webhook, syslog MSG, GELF fields), a one-line
// headline and a plain-text body. Log content (host, user, command) is hostile: it only ever appears
// as a JSON string (quoted, control and bidi characters escaped), never spliced into markup.
import { escapeControls } from '../model/escape.js';
import type { Alert } from './types.js';

// What JSON.stringify leaves as it is but a terminal or a mail reader would obey: DEL, C1, bidi
// controls, line and paragraph separators, BOM and non-characters.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;

/** A value as a JSON string literal whose every character is visible: safe in a subject, a line, a code span. */
export const quote = (s: string): string =>
  JSON.stringify(s).replace(UNSAFE_IN_JSON, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/** A text of ours (a rule title or why, from the operator's rule files) on one line, control characters shown. */
export const plain = (s: string): string => escapeControls(s);

const LEVEL_WORD = { informational: 'INFO', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' } as const;

export const levelWord = (a: Pick<Alert, 'level'>): string => LEVEL_WORD[a.level];

/** The webhook `json` body; also the MSG of syslog and the full_message of GELF. */
export const alertJson = (a: Alert) => ({
  id: a.id,
  kind: a.kind,
  route: a.route,
  rule: a.rule,
  title: a.title,
  level: a.level,
  why: a.why,
  host: a.host,
  user: a.user,
  session: a.session,
  command: a.command,
  seq: a.seq,
  time: new Date(a.time).toISOString(),
  count: a.count,
  url: a.url,
  ...(a.kind === 'summary' ? { items: a.items } : {}),
});

const where = (a: Alert): string => {
  const parts: string[] = [];
  if (a.host !== null) parts.push(`on ${quote(a.host)}`);
  if (a.session !== null) parts.push(`session ${a.session}`);
  if (a.user !== null) parts.push(`user ${quote(a.user)}`);
  return parts.join(', ');
};

/** One line: a mail subject, a GELF short_message, a chat message's first line. */
export const alertHeadline = (a: Alert): string => {
  const lvl = levelWord(a);
  if (a.kind === 'summary') return `[${lvl}] ${plain(a.title)}: ${a.count} hits`;
  const w = where(a);
  const more = a.kind === 'followup' ? ` …and ${a.count - 1} more (${a.count} in all)` : '';
  return `[${lvl}] ${plain(a.title)}${more}${w === '' ? '' : ` ${w}`}`;
};

/** The plain-text body (mail; never HTML). Quoted values are JSON strings, exactly as they were logged. */
export const alertText = (a: Alert): string => {
  const lines = [alertHeadline(a), ''];
  const field = (k: string, v: string): void => void lines.push(`${`${k}:`.padEnd(9)} ${v}`);
  field('rule', a.rule === null ? '(several)' : quote(a.rule));
  field('level', a.level);
  if (a.host !== null) field('host', quote(a.host));
  if (a.user !== null) field('user', quote(a.user));
  if (a.session !== null) field('session', String(a.session));
  if (a.command !== null) field('command', quote(a.command));
  if (a.seq !== null) field('record', String(a.seq));
  field('time', new Date(a.time).toISOString());
  field('count', String(a.count));
  if (a.url !== null) field('link', a.url);
  if (a.kind === 'summary') {
    lines.push('', 'Held by the rate limit, by rule, host and session (hits):');
    for (const i of a.items) lines.push(`  ${i.count} × ${i.rule === null ? '-' : quote(i.rule)} ${i.level} on ${i.host === null ? '-' : quote(i.host)} session ${i.session ?? '-'}`);
  }
  if (a.why !== '') lines.push('', 'Why this matters:', plain(a.why));
  lines.push('', `Countersign alert ${a.id} (${a.kind}) of route ${quote(a.route)}. Values in quotes are JSON strings.`);
  return lines.join('\n') + '\n';
};
