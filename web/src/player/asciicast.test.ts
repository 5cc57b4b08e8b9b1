import { describe, expect, it } from 'vitest';
import { eventsUntil, parseCast, parseSize } from './asciicast.ts';

describe('parseCast', () => {
  it('reads the header and the events, in time order', () => {
    const cast = parseCast('{"version":2,"width":100,"height":30,"timestamp":1700000000}\n[0.5,"o","b"]\n[0.1,"o","a"]\n[1.5,"i","x"]\n[2,"r","120x40"]\n');
    if (typeof cast === 'string') throw new Error(cast);
    expect(cast).toMatchObject({ width: 100, height: 30, startMs: 1_700_000_000_000, duration: 2, skipped: 0 });
    expect(cast.events.map((e) => e.data)).toEqual(['a', 'b', 'x', '120x40']);
  });

  it('skips what is not an event and clamps sizes', () => {
    const cast = parseCast('{"version":2,"width":100000,"height":-3}\n[1,"o"]\nnot json\n[-1,"o","x"]\n["1","o","x"]\n[1,"q","x"]\n[1,"o","ok"]\n');
    if (typeof cast === 'string') throw new Error(cast);
    expect(cast).toMatchObject({ width: 300, height: 24, startMs: null, skipped: 5 });
    expect(cast.events).toEqual([{ t: 1, code: 'o', data: 'ok' }]);
  });

  it('refuses what is not asciicast v2', () => {
    expect(parseCast('')).toBeTypeOf('string');
    expect(parseCast('{"version":1}\n')).toBeTypeOf('string');
    expect(parseCast('[0,"o","x"]\n')).toBeTypeOf('string');
  });

  it('finds the events up to a time', () => {
    const cast = parseCast('{"version":2,"width":80,"height":24}\n[0,"o","a"]\n[1,"o","b"]\n[1,"o","c"]\n[2,"o","d"]\n');
    if (typeof cast === 'string') throw new Error(cast);
    expect([-1, 0, 0.5, 1, 1.9, 2, 9].map((t) => eventsUntil(cast.events, t))).toEqual([0, 1, 1, 3, 3, 4, 4]);
  });

  it('reads resize events', () => {
    expect(parseSize('120x40')).toEqual({ cols: 120, rows: 40 });
    expect(parseSize('99999x99999')).toEqual({ cols: 300, rows: 100 });
    expect(parseSize('1x1')).toEqual({ cols: 80, rows: 24 });
    expect(parseSize('12 x 4')).toBeNull();
  });
});
