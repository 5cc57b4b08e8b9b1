// Where a reviewer acts: the approvals so far against the number required (who, when, on which version),
// the "changed since approval" notice, and one box with Comment, Approve, Flag for discussion and Resolve.
// Buttons the server's policy does not allow stay visible but disabled, with the server's reason.
import { useState } from 'react';
import type { Review } from '../api-types.ts';
import { escapeControls } from '../../../src/model/escape.ts';
import { Hostile } from '../components/hostile.tsx';
import { ageOf, dateTime } from '../lib/format.ts';

export const ApprovalStatus = ({ review }: { review: Review }) => {
  const needed = review.required.reduce((n, g) => n + g.count, 0);
  const have = review.approvals.filter((a) => a.current).length;
  return (
    <section className="approvals" data-testid="approvals">
      <h2>Approvals</h2>
      <p className="approvals-count" data-testid="approvals-count" data-have={have} data-needed={needed}>
        {needed === 0 ? (
          <>No approval required{review.policy !== null && <> (policy <Hostile text={review.policy} />)</>}</>
        ) : (
          <>
            approvals <strong>{have}</strong> of <strong>{needed}</strong>
          </>
        )}
      </p>
      {review.approvedByPolicy !== undefined && review.approvedByPolicy !== null && (
        <p className="approved-by-policy" data-testid="approved-by-policy">
          Approved by policy <Hostile text={review.approvedByPolicy} />
        </p>
      )}
      {review.why !== undefined && review.why !== '' && (
        <p className="muted small" data-testid="review-why">
          <Hostile text={review.why} />
        </p>
      )}
      {review.required.length > 1 && (
        <ul className="approval-groups">
          {review.required.map((g) => (
            <li key={g.group} className={g.have >= g.count ? 'met' : ''}>
              <Hostile text={g.group} />: {g.have} of {g.count}
            </li>
          ))}
        </ul>
      )}
      {review.approvals.length > 0 && (
        <ul className="approval-list" data-testid="approval-list">
          {review.approvals.map((a, i) => (
            <li key={`${a.user}-${i}`} className={a.current ? '' : 'stale'}>
              ✓ <Hostile text={a.user} />{' '}
              <time className="muted" dateTime={a.at} title={a.at}>
                {dateTime(a.at)}
              </time>
              {!a.current && <span className="muted"> — on an earlier version of the session</span>}
            </li>
          ))}
        </ul>
      )}
      {review.dueAt !== null && review.state === 'needs_review' && (
        <p className={`due ${review.overdue ? 'overdue-text' : 'muted'}`}>
          {review.overdue ? 'Overdue since' : 'Due'} {dateTime(review.dueAt)} ({ageOf(review.dueAt, Date.now())})
        </p>
      )}
    </section>
  );
};

export const ChangedNotice = () => (
  <div className="notice changed-notice" role="status" data-testid="changed-since-approval">
    <strong>Changed since approval: needs review again.</strong> Events joined this session after it was approved, so the approvals given before no longer count.
    Read it again before you approve.
  </div>
);

export type ReviewVerb = 'comment' | 'approve' | 'flag' | 'resolve';

interface Props {
  readonly review: Review;
  readonly busy: boolean;
  readonly onAct: (verb: ReviewVerb, body: string) => Promise<boolean>;
}

export const ReviewBox = ({ review, busy, onAct }: Props) => {
  const [body, setBody] = useState('');
  const you = review.you;
  const empty = body.trim() === '';
  const act = async (verb: ReviewVerb) => {
    if (await onAct(verb, body)) setBody('');
  };
  const why = (allowed: boolean, needsText: boolean): string | undefined => {
    if (!allowed) return escapeControls(you.whyNot ?? 'not allowed');
    if (needsText && empty) return 'write a comment first: say what needs discussing';
    return undefined;
  };
  const flagged = review.state === 'flagged';
  return (
    <section className="review-box" data-testid="review-box">
      <h2>Your review</h2>
      <textarea
        value={body}
        rows={4}
        placeholder={flagged ? 'How was it resolved? (required to resolve)' : 'Leave a comment; required to flag for discussion'}
        onChange={(e) => setBody(e.target.value)}
        disabled={!you.canComment}
        data-testid="review-comment"
      />
      <div className="review-buttons">
        <button type="button" disabled={busy || !you.canComment || empty} onClick={() => void act('comment')} title={why(you.canComment, true)} data-testid="comment-general-submit">
          Comment
        </button>
        <button type="button" className="approve" disabled={busy || !you.canApprove} onClick={() => void act('approve')} title={why(you.canApprove, false)} data-testid="approve-button">
          Approve
        </button>
        {flagged ? (
          <button type="button" className="resolve" disabled={busy || !you.canResolve || empty} onClick={() => void act('resolve')} title={why(you.canResolve, true)} data-testid="resolve-button">
            Resolve
          </button>
        ) : (
          <button type="button" className="flag" disabled={busy || !you.canFlag || empty} onClick={() => void act('flag')} title={why(you.canFlag, true)} data-testid="flag-button">
            Flag for discussion
          </button>
        )}
      </div>
      {you.whyNot !== null && (!you.canApprove || !you.canFlag || !you.canResolve || !you.canComment) && (
        <p className="why-not" data-testid="review-why-not">
          <Hostile text={you.whyNot} />
        </p>
      )}
      {you.canFlag && !flagged && empty && <p className="hint">Flagging needs a comment: it starts the discussion.</p>}
    </section>
  );
};
