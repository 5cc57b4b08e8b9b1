// A session's risk from its rule hits: pure, no I/O. The formula (docs/rules.md, "Risk"):
//   each rule counts once per session, at the highest level it hit with; its weight is
//   informational 0, low 10, medium 25, high 50, critical 100. Sorted from heaviest, the weights
//   w1 ≥ w2 ≥ … give score = round(min(100, w1 + w2/2 + w3/4 + …)): the worst rule counts whole and
//   every further rule half as much as the one before. The level is the highest hit level, 'none' without hits.
// Adding a hit never lowers the score: it adds a weight or raises one, and every sorted position then
// holds at least what it held, each with a positive factor (risk.test.ts checks it as a property).
import { HIT_LEVELS, type HitLevel, type RiskLevel } from '../model/risk.js';

export const LEVEL_WEIGHTS: Readonly<Record<HitLevel, number>> = Object.freeze({ informational: 0, low: 10, medium: 25, high: 50, critical: 100 });
export const MAX_SCORE = 100;

export interface HitLevelOf {
  readonly rule: string;
  readonly level: HitLevel;
}

export interface Risk {
  readonly score: number;
  readonly level: RiskLevel;
}

const rank = (l: HitLevel): number => HIT_LEVELS.indexOf(l);

/** The highest level each rule hit with (a rule counts once per session). */
export const levelsByRule = (hits: Iterable<HitLevelOf>, into = new Map<string, HitLevel>()): Map<string, HitLevel> => {
  for (const h of hits) {
    const had = into.get(h.rule);
    if (had === undefined || rank(h.level) > rank(had)) into.set(h.rule, h.level);
  }
  return into;
};

/** Score and level of a session from each rule's highest level (levelsByRule). */
export const riskOfLevels = (byRule: ReadonlyMap<string, HitLevel>): Risk => {
  if (byRule.size === 0) return { score: 0, level: 'none' };
  const weights = [...byRule.values()].map((l) => LEVEL_WEIGHTS[l]).sort((a, b) => b - a);
  let sum = 0;
  let factor = 1;
  for (const w of weights) {
    sum += w * factor;
    factor /= 2;
  }
  let top: HitLevel = 'informational';
  for (const l of byRule.values()) if (rank(l) > rank(top)) top = l;
  return { score: Math.round(Math.min(MAX_SCORE, sum)), level: top };
};

/** Score and level of a session from its hits. */
export const riskOf = (hits: Iterable<HitLevelOf>): Risk => riskOfLevels(levelsByRule(hits));
