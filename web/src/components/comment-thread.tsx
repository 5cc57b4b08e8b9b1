// Review actions that carry words — comments, flags, resolutions, approvals with a note — shown under the
// line they are about (or at the bottom of the session for general ones). Bodies are hostile text.
import type { ReviewAction } from '../api-types.ts';
import { dateTime } from '../lib/format.ts';
import { Hostile } from './hostile.tsx';

const VERB: Readonly<Record<ReviewAction['action'], string>> = {
  view: 'viewed',
  replay: 'replayed the recording',
  comment: 'commented',
  approve: 'approved',
  flag: 'flagged for discussion',
  resolve: 'resolved the flag',
};

export const verbOf = (a: ReviewAction): string => VERB[a.action] ?? a.action;

export const CommentThread = ({ actions }: { actions: readonly ReviewAction[] }) =>
  actions.length === 0 ? null : (
    <div className="comment-thread" data-testid="comment-thread">
      {actions.map((a) => (
        <div key={a.seq} className={`comment action-${a.action}`} data-testid="comment" data-action={a.action} data-seq={a.seq}>
          <div className="comment-head">
            <strong>
              <Hostile text={a.user} />
            </strong>{' '}
            <span className="muted">{verbOf(a)}</span>{' '}
            <time className="muted" dateTime={a.at} title={a.at}>
              {dateTime(a.at)}
            </time>
          </div>
          {a.body !== null && a.body !== '' && (
            <div className="comment-body">
              <Hostile text={a.body} multiline />
            </div>
          )}
        </div>
      ))}
    </div>
  );
