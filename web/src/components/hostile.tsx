// The one way text from log content reaches the page (DESIGN §8.4): commands, hostnames, usernames, raw
// records, comments. React text only — never HTML, never an href/src/style — with every control and bidi
// character made visible by escapeControls (\x1b, \u202e) and marked, so a typed "\x1b" and a real ESC differ.
// Long text wraps inside its box (CSS .hostile: overflow-wrap: anywhere) and is cut at `max` characters.
import { useState } from 'react';
import { escapeControls } from '../../../src/model/escape.ts';

interface Segment {
  readonly text: string;
  readonly control: boolean;
}

/** Splits text into plain runs and escaped control characters. */
export const segments = (s: string): Segment[] => {
  if (escapeControls(s) === s) return [{ text: s, control: false }];
  const out: Segment[] = [];
  let plain = '';
  for (const ch of s) {
    const shown = escapeControls(ch);
    if (shown === ch) {
      plain += ch;
      continue;
    }
    if (plain !== '') out.push({ text: plain, control: false });
    plain = '';
    out.push({ text: shown, control: true });
  }
  if (plain !== '') out.push({ text: plain, control: false });
  return out;
};

const Escaped = ({ text }: { text: string }) => (
  <>
    {segments(text).map((s, i) =>
      s.control ? (
        <span key={i} className="ctl" title="a control character, shown instead of obeyed">
          {s.text}
        </span>
      ) : (
        s.text
      ),
    )}
  </>
);

export interface HostileProps {
  readonly text: string | null | undefined;
  /** Shown (as a muted dash by default) when there is no text. */
  readonly empty?: string;
  /** Keep line breaks (raw records, comments); otherwise a newline shows as \n. */
  readonly multiline?: boolean;
  /** Characters shown before "show all"; the rest stays one click away. */
  readonly max?: number;
  readonly className?: string;
  readonly testId?: string;
}

export const Hostile = ({ text, empty = '—', multiline = false, max = 4000, className, testId }: HostileProps) => {
  const [all, setAll] = useState(false);
  if (text === null || text === undefined || text === '') {
    return (
      <span className={`hostile empty ${className ?? ''}`} data-testid={testId}>
        {empty}
      </span>
    );
  }
  const cut = !all && text.length > max;
  const shown = cut ? text.slice(0, max) : text;
  const lines = multiline ? shown.split('\n') : [shown];
  return (
    <span className={`hostile ${multiline ? 'multiline' : ''} ${className ?? ''}`} data-testid={testId}>
      {lines.map((l, i) => (
        <span key={i} className="hostile-line">
          <Escaped text={l} />
        </span>
      ))}
      {cut && (
        <button type="button" className="link-button more" onClick={() => setAll(true)}>
          … {text.length - max} more characters
        </button>
      )}
    </span>
  );
};
