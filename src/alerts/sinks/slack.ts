// The Slack/Mattermost incoming-webhook body ({ text, attachments }). Both render markup, so log content
// goes in only as a JSON string inside a code span, with Slack's three control characters (& < >)
// entity-escaped and backticks written as \u0060: nothing in it can become a link, a mention or markup.
import { alertHeadline, levelWord, quote } from '../render.js';
import type { Alert } from '../types.js';

const COLOR = { informational: '#8a8a8a', low: '#2f7ed8', medium: '#e0a800', high: '#e8590c', critical: '#c00000' } as const;

/** Slack's escaping: the only characters its message format treats as control sequences. */
export const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A hostile value as data: a JSON string in a code span. */
export const slackCode = (s: string): string => `\`${slackEscape(quote(s).replace(/`/g, '\\u0060'))}\``;

/** The first line: our words as text, the log's (host, user) as code spans. */
export const slackHeadline = (a: Alert): string => {
  const title = `*[${levelWord(a)}]* ${slackEscape(a.title)}`;
  if (a.kind === 'summary') return `${title}: ${a.count} hits`;
  const parts: string[] = [];
  if (a.host !== null) parts.push(`on ${slackCode(a.host)}`);
  if (a.session !== null) parts.push(`session ${a.session}`);
  if (a.user !== null) parts.push(`user ${slackCode(a.user)}`);
  const more = a.kind === 'followup' ? ` …and ${a.count - 1} more (${a.count} in all)` : '';
  return `${title}${more}${parts.length === 0 ? '' : ` ${parts.join(', ')}`}`;
};

export const slackPayload = (a: Alert) => {
  const fields: { title: string; value: string; short: boolean }[] = [];
  const add = (title: string, value: string, short = true): void => void fields.push({ title, value, short });
  if (a.rule !== null) add('rule', slackCode(a.rule));
  add('level', a.level);
  if (a.host !== null) add('host', slackCode(a.host));
  if (a.user !== null) add('user', slackCode(a.user));
  if (a.session !== null) add('session', String(a.session));
  add('count', String(a.count));
  if (a.command !== null) add('command', slackCode(a.command), false);
  for (const i of a.items.slice(0, 10)) {
    add(`${i.count} ×`, `${i.rule === null ? '-' : slackCode(i.rule)} on ${i.host === null ? '-' : slackCode(i.host)} session ${i.session ?? '-'}`, false);
  }
  add('time', new Date(a.time).toISOString());
  const headline = alertHeadline(a);
  return {
    text: slackHeadline(a),
    attachments: [
      {
        fallback: slackEscape(headline),
        color: COLOR[a.level],
        ...(a.url !== null ? { title: 'Open the session', title_link: a.url } : {}),
        text: a.why === '' ? '' : slackEscape(a.why),
        fields,
        footer: slackEscape(`Countersign alert ${a.id} (${a.kind}), route ${a.route}`),
        mrkdwn_in: ['fields'],
      },
    ],
  };
};
