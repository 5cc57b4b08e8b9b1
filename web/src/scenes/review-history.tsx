// The side panel's history: every review action on the session (view, replay, comment, approve, flag,
// resolve) with who and when, each with the proof that it is an entry of the tamper-evident log.
import type { ReviewAction } from '../api-types.ts';
import { verbOf } from '../components/comment-thread.tsx';
import { Hostile } from '../components/hostile.tsx';
import { dateTime } from '../lib/format.ts';

export const ReviewHistory = ({ actions, onProof, onJump }: { actions: readonly ReviewAction[]; onProof: (seq: number) => void; onJump: (eventId: number) => void }) => (
  <section className="history" data-testid="review-history">
    <h2>History</h2>
    {actions.length === 0 ? (
      <p className="muted">Nothing yet.</p>
    ) : (
      <ol>
        {[...actions]
          .sort((a, b) => b.seq - a.seq)
          .map((a) => (
            <li key={a.seq} className={`history-item action-${a.action}`} data-testid="history-item" data-action={a.action} data-seq={a.seq}>
              <div>
                <strong>
                  <Hostile text={a.user} />
                </strong>{' '}
                {verbOf(a)}
                {a.eventId !== null && (
                  <>
                    {' '}
                    on{' '}
                    <button type="button" className="link-button" onClick={() => onJump(a.eventId as number)}>
                      a line
                    </button>
                  </>
                )}
              </div>
              <div className="muted small">
                <time dateTime={a.at} title={a.at}>
                  {dateTime(a.at)}
                </time>{' '}
                ·{' '}
                <button type="button" className="link-button" onClick={() => onProof(a.seq)} data-testid="history-proof" title={`Log entry ${a.seq}`}>
                  log proof #{a.seq}
                </button>
              </div>
              {a.body !== null && a.body !== '' && a.action !== 'comment' && (
                <div className="history-body">
                  <Hostile text={a.body} max={300} />
                </div>
              )}
            </li>
          ))}
      </ol>
    )}
  </section>
);
