// `/sessions/<id>`: one session reviewed like a change — the header, the terminal recording (on demand:
// replaying is itself recorded), the timeline with inline comments, the reviewer's box, and the side panel
// with approvals and the history of review actions and their log proofs. j/k move between lines, c comments
// on the selected line, r shows its raw record, u goes back to the queue.
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { ApiError, api, describeError } from '../api-client.ts';
import type { Review, ReviewAction, ReviewAnswer, SessionDetail, SessionEvent } from '../api-types.ts';
import { CommentBox } from '../components/comment-box.tsx';
import { CommentThread } from '../components/comment-thread.tsx';
import { KeyboardHelp } from '../components/keyboard-help.tsx';
import { Link } from '../components/link.tsx';
import { ProofDialog } from '../components/proof-dialog.tsx';
import { useShortcuts } from '../lib/keys.ts';
import { parseCast, type Cast } from '../player/asciicast.ts';
import type { PlayerHandle } from '../player/player.tsx';
import { navigate } from '../router.ts';
import { checkNow } from '../stores/witness-store.ts';
import { ReviewHistory } from './review-history.tsx';
import { ApprovalStatus, ChangedNotice, ReviewBox, type ReviewVerb } from './review-panel.tsx';
import { SessionHeader } from './session-header.tsx';
import { Timeline } from './timeline.tsx';

// xterm.js is loaded only when a recording is replayed.
const Player = lazy(() => import('../player/player.tsx').then((m) => ({ default: m.Player })));

const SESSION_KEYS = [
  ['j', 'next line'],
  ['k', 'previous line'],
  ['c', 'comment on the line'],
  ['r', 'raw record'],
  ['u', 'back to the queue'],
] as const;

type Recording = { readonly state: 'idle' } | { readonly state: 'loading' } | { readonly state: 'none' } | { readonly state: 'error'; readonly message: string } | { readonly state: 'ready'; readonly cast: Cast };

const ms = (iso: string): number => new Date(iso).getTime();

export const SessionReview = ({ id }: { id: string }) => {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [answer, setAnswer] = useState<ReviewAnswer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actError, setActError] = useState<string | null>(null);
  const [digestChanged, setDigestChanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [commentingId, setCommentingId] = useState<number | null>(null);
  const [rawOpen, setRawOpen] = useState<ReadonlySet<number>>(new Set());
  const [showChunks, setShowChunks] = useState(false);
  const [proofSeq, setProofSeq] = useState<number | null>(null);
  const [recording, setRecording] = useState<Recording>({ state: 'idle' });
  const [playingId, setPlayingId] = useState<number | null>(null);
  const player = useRef<PlayerHandle>(null);

  const loadReview = () =>
    api.review(id).then(
      (a) => setAnswer(a),
      (e: unknown) => setActError(describeError(e)),
    );

  useEffect(() => {
    let live = true;
    // The session first (viewing it is recorded), then its review, which then already lists this view.
    api
      .session(id)
      .then((d) => {
        if (!live) return;
        setDetail(d);
        const first = d.events.find((e) => e.kind !== 'tty_io');
        setSelectedId(first?.id ?? null);
        return api.review(id).then((a) => live && setAnswer(a));
      })
      .catch((e: unknown) => live && setLoadError(e instanceof ApiError && e.status === 404 ? `There is no session ${id}.` : describeError(e)));
    return () => {
      live = false;
    };
  }, [id]);

  const events = detail?.events ?? [];
  const chunks = events.filter((e) => e.kind === 'tty_io').length;
  const shown = showChunks ? events : events.filter((e) => e.kind !== 'tty_io');
  const review = answer?.review ?? null;
  const actions = answer?.actions ?? [];
  const canComment = review?.you.canComment ?? false;

  const commentsByEvent = new Map<number, ReviewAction[]>();
  const general: ReviewAction[] = [];
  for (const a of actions) {
    if (a.action === 'view' || a.action === 'replay') continue;
    const hasWords = a.body !== null && a.body !== '';
    if (a.eventId !== null) commentsByEvent.set(a.eventId, [...(commentsByEvent.get(a.eventId) ?? []), a]);
    else if (hasWords) general.push(a);
  }

  // The recording's clock against the timeline's: the cast header's start, else the session's.
  const recStart = recording.state === 'ready' ? (recording.cast.startMs ?? (detail !== null ? ms(detail.session.startedAt) : 0)) : 0;
  /** The line at the player's current time: the last one that happened by then (state changes only when the line does). */
  const onPlayerTime = (t: number) => {
    const wall = recStart + t * 1000;
    let at: number | null = null;
    for (const e of shown) if (ms(e.time) <= wall) at = e.id;
    setPlayingId(at);
  };

  const select = (e: SessionEvent) => {
    setSelectedId(e.id);
    if (recording.state === 'ready') player.current?.seek((ms(e.time) - recStart) / 1000);
  };
  const move = (d: 1 | -1) => {
    if (shown.length === 0) return;
    const i = shown.findIndex((e) => e.id === selectedId);
    const next = shown[Math.max(0, Math.min(shown.length - 1, i < 0 ? 0 : i + d))];
    if (next !== undefined) setSelectedId(next.id);
  };
  const jumpToSeq = (seq: number) => {
    const e = events.find((x) => x.seq === seq);
    if (e === undefined) return;
    if (e.kind === 'tty_io') setShowChunks(true);
    setSelectedId(e.id);
  };
  const toggleRaw = (eventId: number) => {
    const n = new Set(rawOpen);
    if (!n.delete(eventId)) n.add(eventId);
    setRawOpen(n);
  };

  useShortcuts(
    {
      j: () => move(1),
      k: () => move(-1),
      c: () => {
        if (selectedId !== null && canComment) setCommentingId(selectedId);
      },
      r: () => {
        if (selectedId !== null) toggleRaw(selectedId);
      },
      u: () => navigate('/'),
    },
    detail !== null,
  );

  /** Runs one review request; answers whether it succeeded (so the form can clear). */
  const run = async (f: () => Promise<{ action: ReviewAction; review?: Review }>): Promise<boolean> => {
    setBusy(true);
    setActError(null);
    try {
      const r = await f();
      if (r.review !== undefined && answer !== null) setAnswer({ ...answer, review: r.review });
      await loadReview();
      void checkNow(); // the action is a new log entry: the top bar's log status follows
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CS_ERR_DIGEST_CHANGED') setDigestChanged(true);
      else setActError(describeError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submitLineComment = async (eventId: number, body: string) => {
    const done = await run(() => api.comment(id, eventId, body));
    if (done) setCommentingId(null);
    return done;
  };

  const act = async (verb: ReviewVerb, body: string): Promise<boolean> => {
    if (review === null) return false;
    const text = body.trim();
    switch (verb) {
      case 'comment':
        return run(() => api.comment(id, null, text));
      case 'flag':
        return run(() => api.flag(id, text));
      case 'resolve':
        return run(() => api.resolve(id, text));
      case 'approve':
        // A note written in the box goes first, as a comment; the approval signs the digest read.
        if (text !== '' && !(await run(() => api.comment(id, null, text)))) return false;
        return run(() => api.approve(id, review.digest));
    }
  };

  const loadRecording = async () => {
    setRecording({ state: 'loading' });
    try {
      const text = await api.recording(id);
      if (text === null) return setRecording({ state: 'none' });
      const cast = parseCast(text);
      setRecording(typeof cast === 'string' ? { state: 'error', message: cast } : { state: 'ready', cast });
      void loadReview(); // the replay is now in the history
    } catch (e) {
      setRecording({ state: 'error', message: describeError(e) });
    }
  };

  if (loadError !== null)
    return (
      <main className="page">
        <p className="form-error" role="alert" data-testid="session-error">
          {loadError}
        </p>
        <Link to="/">Back to the review queue</Link>
      </main>
    );
  if (detail === null) return <main className="page muted">Loading the session…</main>;

  return (
    <main className="page session-page" data-testid="session-page" data-session-id={detail.session.id}>
      <div className="breadcrumbs">
        <Link to="/" testId="back-to-queue">
          ← Review queue
        </Link>
      </div>
      <SessionHeader session={detail.session} events={events} review={review} onJump={jumpToSeq} />
      {review?.changedSinceApproval === true && <ChangedNotice />}
      {digestChanged && (
        <div className="notice error-notice" role="alert" data-testid="digest-changed">
          <strong>The session changed while you were reading — reload.</strong> Your approval was not recorded: approvals sign what you saw, and new events have joined
          since.{' '}
          <button type="button" onClick={() => window.location.reload()} data-testid="digest-reload">
            Reload
          </button>
        </div>
      )}
      <div className="session-layout">
        <div className="session-main">
          {chunks > 0 && (
            <section className="recording" data-testid="recording">
              {recording.state === 'idle' && (
                <button type="button" onClick={() => void loadRecording()} data-testid="player-load">
                  ▶ Replay the terminal recording
                </button>
              )}
              {recording.state === 'idle' && <span className="muted small"> Replaying is recorded in the session's history.</span>}
              {recording.state === 'loading' && <p className="muted">Loading the recording…</p>}
              {recording.state === 'none' && <p className="muted">This session has no terminal recording that can be replayed.</p>}
              {recording.state === 'error' && <p className="form-error">The recording cannot be replayed: {recording.message}</p>}
              {recording.state === 'ready' && (
                <Suspense fallback={<p className="muted">Loading the player…</p>}>
                  <Player ref={player} cast={recording.cast} onTime={onPlayerTime} />
                </Suspense>
              )}
            </section>
          )}
          <div className="timeline-head">
            <h2>Timeline</h2>
            {chunks > 0 && (
              <label className="small">
                <input type="checkbox" checked={showChunks} onChange={(e) => setShowChunks(e.target.checked)} data-testid="show-recording-chunks" /> show {chunks} recording chunks
              </label>
            )}
          </div>
          <Timeline
            session={detail.session}
            events={shown}
            commentsByEvent={commentsByEvent}
            selectedId={selectedId}
            playingId={playingId}
            commentingId={commentingId}
            canComment={canComment}
            rawOpen={rawOpen}
            onToggleRaw={toggleRaw}
            onSelect={select}
            onComment={setCommentingId}
            onSubmitComment={submitLineComment}
          />
          <KeyboardHelp keys={SESSION_KEYS} />
          <section className="general-comments" data-testid="general-comments">
            <h2>Conversation</h2>
            {general.length === 0 ? <p className="muted">No general comments yet.</p> : <CommentThread actions={general} />}
          </section>
          {actError !== null && (
            <p className="form-error" role="alert" data-testid="review-error">
              {actError}
            </p>
          )}
          {review !== null && <ReviewBox review={review} busy={busy} onAct={act} />}
          {review === null && canComment && <CommentBox onSubmit={(b) => run(() => api.comment(id, null, b))} />}
        </div>
        <aside className="session-side">
          {review !== null && <ApprovalStatus review={review} />}
          <ReviewHistory actions={actions} onProof={setProofSeq} onJump={(eid) => setSelectedId(eid)} />
        </aside>
      </div>
      <ProofDialog seq={proofSeq} onClose={() => setProofSeq(null)} />
    </main>
  );
};
