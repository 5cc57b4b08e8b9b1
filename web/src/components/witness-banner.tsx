// The red banner the browser witness raises (witness.ts): rollback, split view, a log that does not extend
// what this browser saw, a bad signature or a new key. It names both checkpoints and stays until dismissed;
// dismissing it does not make the browser trust the new checkpoint.
import { acceptNewCheckpoint, dismissAlarm, useWitness } from '../stores/witness-store.ts';
import { dateTime } from '../lib/format.ts';
import { Hostile } from './hostile.tsx';

const TITLES = {
  rollback: 'The log was rolled back',
  'split-view': 'Split view: the log shows another history',
  inconsistent: 'The log does not extend the checkpoint this browser saw',
  'bad-checkpoint': 'The log checkpoint does not verify',
  'key-changed': 'The log signing key changed',
} as const;

export const WitnessBanner = () => {
  const { outcome, dismissed } = useWitness();
  if (outcome?.status !== 'alarm' || dismissed) return null;
  const { alarm, previous, checkpoint } = outcome;
  const accept = () => {
    if (window.confirm('Trust the checkpoint the server shows now, and forget the one this browser verified before? Only do this if you know why the log changed (for example, it was reinstalled).')) acceptNewCheckpoint();
  };
  return (
    <div className="witness-banner" role="alert" data-testid="witness-banner" data-alarm={alarm.kind}>
      <div className="witness-banner-text">
        <strong>{TITLES[alarm.kind]}.</strong>{' '}
        {/* A rollback or a split view is told by the two checkpoints below; the other alarms say why. */}
        {alarm.kind !== 'rollback' && alarm.kind !== 'split-view' && <Hostile text={alarm.message} />}
        <dl className="witness-checkpoints">
          <dt>This browser verified</dt>
          <dd data-testid="witness-previous">
            {previous === null ? (
              'nothing yet'
            ) : (
              <>
                size {previous.size}, root <code><Hostile text={previous.root} /></code> (first seen {dateTime(new Date(previous.seenAt).toISOString())})
              </>
            )}
          </dd>
          <dt>The server shows now</dt>
          <dd data-testid="witness-current">
            {checkpoint === null ? (
              'a checkpoint that does not verify'
            ) : (
              <>
                size {checkpoint.size}, root <code><Hostile text={checkpoint.root} /></code>
              </>
            )}
          </dd>
        </dl>
        <p className="muted">Tell your security officer; run <code>countersign verify</code> on the server. This browser keeps the checkpoint it verified.</p>
      </div>
      <div className="witness-banner-actions">
        <button type="button" onClick={dismissAlarm} data-testid="witness-dismiss">
          Dismiss
        </button>
        {checkpoint !== null && (
          <button type="button" className="link-button" onClick={accept} data-testid="witness-accept">
            Trust the new checkpoint…
          </button>
        )}
      </div>
    </div>
  );
};
