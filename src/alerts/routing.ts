// Which routes take a hit: its level at or above the route's minLevel, and, where the route names them,
// a rule carrying one of its tags and one of its rules. Pure.
import { HIT_LEVELS, isHitLevel, type HitLevel } from '../model/risk.js';
import type { RouteConfig, RuleInfo } from './types.js';

export const levelRank = (l: HitLevel): number => HIT_LEVELS.indexOf(l);

/** A stored level that is not one of ours (a store written by a newer version) counts as the lowest. */
export const hitLevel = (l: string): HitLevel => (isHitLevel(l) ? l : 'informational');

export const routeTakes = (route: Pick<RouteConfig, 'minLevel' | 'tags' | 'rules'>, hit: { readonly rule: string; readonly level: string }, rule: RuleInfo | undefined): boolean => {
  if (levelRank(hitLevel(hit.level)) < levelRank(route.minLevel)) return false;
  if (route.rules !== undefined && !route.rules.includes(hit.rule)) return false;
  if (route.tags !== undefined && !route.tags.some((t) => rule?.tags.includes(t) === true)) return false;
  return true;
};

/** Hits of one rule on one host in one session fold together within a route's window. */
export const dedupKey = (hit: { readonly rule: string; readonly host: string; readonly sessionId: number | null }): string =>
  `${hit.rule}\t${hit.host}\t${hit.sessionId ?? '-'}`;
