// Small marks used on the queue and the session page: review state, risk level and score, overdue,
// changed since approval. Their text comes from closed lists (never from log content).
import type { ReviewState, RiskLevel } from '../api-types.ts';
import { STATE_LABELS } from '../lib/format.ts';

export const StateBadge = ({ state, testId }: { state: ReviewState; testId?: string }) => (
  <span className={`badge state-${state}`} data-testid={testId} data-state={state}>
    {STATE_LABELS[state] ?? state}
  </span>
);

export const RiskBadge = ({ level, score }: { level: RiskLevel | undefined; score?: number | undefined }) => {
  const l = level ?? 'none';
  return (
    <span className={`badge risk risk-${l}`} data-risk={l} title={score === undefined ? undefined : `risk score ${score}`}>
      {l}
      {score !== undefined && score > 0 && <span className="score">{score}</span>}
    </span>
  );
};

export const OverdueMark = () => (
  <span className="badge overdue" title="The review is past its due time" data-testid="overdue-mark">
    overdue
  </span>
);

export const ChangedMark = ({ short = false }: { short?: boolean }) => (
  <span className="badge changed" title="The session changed after it was approved: it needs review again" data-testid="changed-mark">
    {short ? 'changed' : 'changed since approval'}
  </span>
);
