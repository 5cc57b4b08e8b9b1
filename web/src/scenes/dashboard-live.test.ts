// The dashboard's list of high-risk hits: merged from the snapshot and the stream, newest stored first,
// bounded, and one entry per event and rule even when the store wrote that hit again (its session was found later).
import { describe, expect, it } from 'vitest';
import type { DashboardHit } from '../api-types.ts';
import { mergeHits } from './dashboard-live.tsx';

const hit = (id: number, eventId: number, rule = 'root-login', sessionId: number | null = null): DashboardHit => ({
  id, eventId, rule, sessionId, title: rule, level: 'high', host: 'h', user: 'root', command: null, kind: 'login', time: '2026-11-30T00:00:00.000Z', seq: eventId,
});

describe('mergeHits', () => {
  it('keeps the newest stored first, at most max', () => {
    expect(mergeHits([hit(1, 10), hit(3, 30)], [hit(2, 20), hit(4, 40)], 3).map((h) => h.id)).toEqual([4, 3, 2]);
  });
  it('counts a hit stored again for the same event and rule once, with its newest row', () => {
    const merged = mergeHits([hit(5, 50, 'root-login', null)], [hit(9, 50, 'root-login', 7), hit(6, 50, 'login-outside-management-networks')], 10);
    expect(merged.map((h) => [h.id, h.rule, h.sessionId])).toEqual([
      [9, 'root-login', 7],
      [6, 'login-outside-management-networks', null],
    ]);
  });
  it('ignores a repeat of what it already has', () => {
    expect(mergeHits([hit(2, 20), hit(1, 10)], [hit(2, 20)], 10).map((h) => h.id)).toEqual([2, 1]);
  });
});
