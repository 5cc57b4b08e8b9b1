import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIT_LEVELS, type HitLevel } from '../model/risk.js';
import { riskOf, type HitLevelOf } from './risk.js';

const hit = (rule: string, level: HitLevel): HitLevelOf => ({ rule, level });
const arbHit = fc.record({ rule: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), level: fc.constantFrom(...HIT_LEVELS) });

describe('riskOf', () => {
  it('is none and 0 without hits', () => {
    expect(riskOf([])).toEqual({ score: 0, level: 'none' });
  });

  it('counts the worst rule whole and each further rule half the one before, capped at 100', () => {
    expect(riskOf([hit('a', 'high')])).toEqual({ score: 50, level: 'high' });
    expect(riskOf([hit('a', 'high'), hit('b', 'high')])).toEqual({ score: 75, level: 'high' });
    expect(riskOf([hit('a', 'medium'), hit('b', 'medium'), hit('c', 'medium')])).toEqual({ score: 44, level: 'medium' }); // 25 + 12.5 + 6.25
    expect(riskOf([hit('a', 'low'), hit('b', 'high')])).toEqual({ score: 55, level: 'high' });
    expect(riskOf([hit('a', 'critical')])).toEqual({ score: 100, level: 'critical' });
    expect(riskOf([hit('a', 'high'), hit('b', 'critical')])).toEqual({ score: 100, level: 'critical' });
  });

  it('counts a rule once per session, at the highest level it hit with', () => {
    expect(riskOf([hit('a', 'high'), hit('a', 'high'), hit('a', 'high')])).toEqual({ score: 50, level: 'high' });
    expect(riskOf([hit('a', 'low'), hit('a', 'medium')])).toEqual({ score: 25, level: 'medium' });
  });

  it('gives informational hits a level but no score', () => {
    expect(riskOf([hit('a', 'informational')])).toEqual({ score: 0, level: 'informational' });
    expect(riskOf([hit('a', 'informational'), hit('b', 'low')])).toEqual({ score: 10, level: 'low' });
  });

  it('never lowers the score or the level when a hit is added (property)', () => {
    fc.assert(
      fc.property(fc.array(arbHit, { maxLength: 12 }), arbHit, (hits, extra) => {
        const before = riskOf(hits);
        const after = riskOf([...hits, extra]);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(['none', ...HIT_LEVELS].indexOf(after.level)).toBeGreaterThanOrEqual(['none', ...HIT_LEVELS].indexOf(before.level));
        expect(after.score).toBeLessThanOrEqual(100);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not depend on the order of the hits (property)', () => {
    fc.assert(
      fc.property(fc.array(arbHit, { maxLength: 10 }), (hits) => {
        expect(riskOf([...hits].reverse())).toEqual(riskOf(hits));
      }),
    );
  });
});
