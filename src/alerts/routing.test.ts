import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs } from './backoff.js';
import { dedupKey, routeTakes } from './routing.js';

const info = { title: 't', why: 'w', tags: ['linux', 'history'] };

describe('routing', () => {
  it('takes hits at or above minLevel', () => {
    expect(routeTakes({ minLevel: 'high' }, { rule: 'r', level: 'high' }, info)).toBe(true);
    expect(routeTakes({ minLevel: 'high' }, { rule: 'r', level: 'critical' }, info)).toBe(true);
    expect(routeTakes({ minLevel: 'high' }, { rule: 'r', level: 'medium' }, info)).toBe(false);
    expect(routeTakes({ minLevel: 'informational' }, { rule: 'r', level: 'bogus' }, info)).toBe(true);
    expect(routeTakes({ minLevel: 'low' }, { rule: 'r', level: 'bogus' }, info)).toBe(false);
  });

  it('tags and rules, when given, must both hold', () => {
    expect(routeTakes({ minLevel: 'low', tags: ['network', 'history'] }, { rule: 'r', level: 'high' }, info)).toBe(true);
    expect(routeTakes({ minLevel: 'low', tags: ['network'] }, { rule: 'r', level: 'high' }, info)).toBe(false);
    expect(routeTakes({ minLevel: 'low', tags: ['linux'] }, { rule: 'r', level: 'high' }, undefined)).toBe(false);
    expect(routeTakes({ minLevel: 'low', rules: ['r'] }, { rule: 'r', level: 'high' }, info)).toBe(true);
    expect(routeTakes({ minLevel: 'low', rules: ['s'] }, { rule: 'r', level: 'high' }, info)).toBe(false);
    expect(routeTakes({ minLevel: 'low', rules: ['r'], tags: ['network'] }, { rule: 'r', level: 'high' }, info)).toBe(false);
  });

  it('dedup key: rule, host, session', () => {
    expect(dedupKey({ rule: 'r', host: 'h', sessionId: 4 })).not.toBe(dedupKey({ rule: 'r', host: 'h', sessionId: null }));
  });
});

describe('backoff', () => {
  it('1 s, 2 s, 4 s … capped at 5 min', () => {
    expect([1, 2, 3, 4, 9, 10, 50].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 256_000, 300_000, 300_000]);
  });

  it('gives up past the max age with the reason', () => {
    expect(afterFailure({ attempts: 3, createdAt: 0, now: 5000, maxAgeMs: 86_400_000, error: 'HTTP 500' })).toEqual({ retry: true, at: 9000 });
    const v = afterFailure({ attempts: 40, createdAt: 0, now: 86_400_000, maxAgeMs: 86_400_000, error: 'HTTP 500' });
    expect(v).toEqual({ retry: false, reason: 'gave up after 40 attempts over 24 h: HTTP 500' });
  });
});
