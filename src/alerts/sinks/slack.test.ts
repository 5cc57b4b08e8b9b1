import { describe, expect, it } from 'vitest';
import { testAlert } from '../../../test/helpers/alerts.js';
import { slackCode, slackPayload } from './slack.js';

describe('slack payload', () => {
  it('puts log content in code spans as JSON strings, with & < > and backticks neutralised', () => {
    expect(slackCode('a<!channel>&`b`')).toBe('`"a&lt;!channel&gt;&amp;\\u0060b\\u0060"`');
    const p = slackPayload(testAlert({ host: '<https://evil.example|click>', command: '```\n@here [x](http://e)' }));
    const all = JSON.stringify(p);
    expect(all).not.toContain('<https://evil');
    expect(all).not.toContain('```');
    const cmd = p.attachments[0]!.fields.find((f) => f.title === 'command')!;
    expect(cmd.value).toBe('`"\\u0060\\u0060\\u0060\\n@here [x](http://e)"`');
    expect(p.text).toBe('*[HIGH]* Shell history tampering on `"&lt;https://evil.example|click&gt;"`, session 42, user `"cs-alice"`');
    expect(p.attachments[0]!.title_link).toBe('https://cs.example.net/sessions/42');
  });
});
