// Log content is hostile: before any of it reaches a terminal it goes through here, so control and
// bidi characters are shown (\x1b, \u202e), never obeyed. Isomorphic: the web UI uses it too.

// C0 except TAB, DEL, C1, and the Unicode bidi overrides/isolates and line/paragraph separators.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;

const show = (c: string): string => {
  const cp = c.codePointAt(0)!;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
};

export const escapeControls = (s: string): string => s.replace(UNSAFE, show);
