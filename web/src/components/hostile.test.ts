// <Hostile/> is the one door for log content into the page: whatever the text, the markup holds it as text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import hostile from '../../../test/fixtures/hostile/strings.json';
import { Hostile, segments } from './hostile.tsx';

const render = (text: string, multiline = false): string => renderToStaticMarkup(createElement(Hostile, { text, multiline }));

describe('Hostile', () => {
  it('renders markup as text', () => {
    const html = render('<img src=x onerror=alert(1)><script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('shows control and bidi characters, marked, instead of passing them on', () => {
    expect(segments('a\x1b[2Jb\u202ec')).toEqual([
      { text: 'a', control: false },
      { text: '\\x1b', control: true },
      { text: '[2Jb', control: false },
      { text: '\\u202e', control: true },
      { text: 'c', control: false },
    ]);
    const html = render('\x1b]52;c;aGVsbG8=\x07');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain('<span class="ctl"');
  });

  it('keeps line breaks only when asked', () => {
    expect(render('a\nb')).toContain('a<span class="ctl" title="a control character, shown instead of obeyed">\\n</span>b');
    expect(render('a\nb', true)).toMatch(/<span class="hostile-line">a<\/span><span class="hostile-line">b<\/span>/);
  });

  it('cuts very long text, one click from the rest', () => {
    const html = renderToStaticMarkup(createElement(Hostile, { text: 'x'.repeat(5000), max: 100 }));
    expect(html).toContain('4900 more characters');
    expect(html.match(/x/g)?.length).toBeLessThan(200);
  });

  it.each((hostile as { items: { id: string; text: string }[] }).items.map((i) => [i.id, i.text] as const))('%s stays text', (_, text) => {
    const html = render(text, true);
    // Only our own elements: every tag in the markup is a span or button we made.
    for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag).toMatch(/^<(span|button)( class="[a-z -]*"| title="[^"<>]*"| type="button")*>$/);
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
