// "log: N entries · checkpoint seen 3 min ago" in the top bar, from the browser witness. The age is how long
// ago this browser first saw a checkpoint of this size (a C2SP checkpoint carries no time of its own).
import { useEffect, useState } from 'react';
import { escapeControls } from '../../../src/model/escape.ts';
import { age } from '../lib/format.ts';
import { useWitness } from '../stores/witness-store.ts';

export const LogStatus = () => {
  const { outcome } = useWitness();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 10_000);
    return () => window.clearInterval(t);
  }, []);
  if (outcome === null) return <span className="log-status pending" data-testid="log-status" data-state="pending">log: checking…</span>;
  if (outcome.status === 'unavailable')
    return (
      <span className="log-status unavailable" data-testid="log-status" data-state="unavailable" title={escapeControls(outcome.message)}>
        log: not checked
      </span>
    );
  if (outcome.status === 'alarm')
    return (
      <span className="log-status alarm" data-testid="log-status" data-state="alarm" title={escapeControls(outcome.alarm.message)}>
        log: ✗ {outcome.alarm.kind}
      </span>
    );
  const { checkpoint, stored } = outcome;
  const title = `Verified checkpoint of ${checkpoint.origin}: size ${checkpoint.size}, root ${checkpoint.root}. Signed by ${stored.vkey.split('+')[0] ?? ''}; this browser checks that each new checkpoint extends the one it saw before.`;
  return (
    <span className="log-status ok" data-testid="log-status" data-state="ok" data-size={checkpoint.size} title={escapeControls(title)}>
      log: ✓ {checkpoint.size} entries · checkpoint {age(Math.max(0, now - stored.seenAt))}
    </span>
  );
};
