import { describe, expect, it } from 'vitest';
import { RecentFrames, RelpResendWatch } from './relp-resend.js';

describe('RELP resend watch', () => {
  it('counts the frames of a broken connection that come first on the next, then stops looking', () => {
    const w = new RelpResendWatch();
    w.remember('10.0.0.1', ['a', 'b', 'c']);
    expect(w.watching('10.0.0.2')).toBe(false);
    expect(w.check('10.0.0.1', 'b')).toBe(true);
    expect(w.check('10.0.0.1', 'c')).toBe(true);
    expect(w.check('10.0.0.1', 'new')).toBe(false);
    // The first new frame ended the watch: an identical later message is not taken for a resend.
    expect(w.watching('10.0.0.1')).toBe(false);
    expect(w.check('10.0.0.1', 'a')).toBe(false);
  });

  it('keeps only the last frames of a connection', () => {
    const r = new RecentFrames(3);
    for (const d of ['1', '2', '3', '4', '5']) r.add(d);
    expect([...r.digests].sort()).toEqual(['3', '4', '5']);
  });
});
