// The log proof of one entry (GET /log/proof/record/<seq>) in a dialog, as text, checked here in the
// browser: the entry hashes to its leaf, the inclusion proof reaches the root of the checkpoint, and the
// checkpoint is signed by the log's key. The JSON is shown as text only (entries can quote hostile content).
import { useEffect, useRef, useState } from 'react';
import { api, describeError } from '../api-client.ts';
import type { RecordProof } from '../api-types.ts';
import { decodeBase64, encodeBase64, leafHash, openCheckpoint, parseVerifierKey, verifyInclusion } from '../witness.ts';
import { Hostile } from './hostile.tsx';

type Verdict = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string };

const check = (p: RecordProof, vkey: string): Verdict => {
  const key = parseVerifierKey(vkey);
  if (!key.ok) return { ok: false, text: `the log key is not usable: ${key.error}` };
  const cp = openCheckpoint(p.checkpoint, key.value);
  if (!cp.ok) return { ok: false, text: `the checkpoint does not verify: ${cp.error.message}` };
  const leaf = leafHash(new TextEncoder().encode(p.entry));
  if (encodeBase64(leaf) !== p.leafHash) return { ok: false, text: 'the entry does not hash to the leaf the server names' };
  const proof = p.proof.map((h) => decodeBase64(h));
  if (proof.some((h) => h === undefined)) return { ok: false, text: 'the proof is not base64' };
  const v = verifyInclusion(leaf, p.index, cp.value.size, proof as Uint8Array[], cp.value.rootHash);
  if (!v.ok) return { ok: false, text: `the inclusion proof fails: ${v.error.message}` };
  return { ok: true, text: `Verified in this browser: entry ${p.index} is in the log whose checkpoint (size ${cp.value.size}, root ${cp.value.root}) is signed by ${key.value.name}.` };
};

const pretty = (p: RecordProof): string => {
  let entry: unknown = p.entry;
  try {
    entry = JSON.parse(p.entry);
  } catch {
    // keep the text
  }
  return JSON.stringify({ ...p, entry }, null, 2);
};

export const ProofDialog = ({ seq, onClose }: { seq: number | null; onClose: () => void }) => {
  const ref = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<{ proof: RecordProof; verdict: Verdict } | { error: string } | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (seq === null) {
      if (d.open) d.close();
      return;
    }
    if (!d.open) d.showModal();
    setState(null);
    let live = true;
    Promise.all([api.recordProof(seq), api.logKey()]).then(
      ([proof, key]) => live && setState({ proof, verdict: check(proof, key.vkey) }),
      (e: unknown) => live && setState({ error: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [seq]);

  return (
    <dialog ref={ref} className="proof-dialog" onClose={onClose} data-testid="proof-dialog">
      <div className="dialog-head">
        <h2>Log proof of entry #{seq}</h2>
        <button type="button" onClick={() => ref.current?.close()} data-testid="proof-close" aria-label="Close">
          ✕
        </button>
      </div>
      {state === null && <p className="muted">Fetching the proof…</p>}
      {state !== null && 'error' in state && (
        <p className="form-error" data-testid="proof-error">
          {state.error}
        </p>
      )}
      {state !== null && 'proof' in state && (
        <>
          <p className={state.verdict.ok ? 'verdict ok' : 'verdict bad'} data-testid="proof-verdict" data-ok={state.verdict.ok}>
            {state.verdict.ok ? '✓ ' : '✗ '}
            <Hostile text={state.verdict.text} />
          </p>
          <pre className="proof-text" data-testid="proof-text">
            <Hostile text={pretty(state.proof)} multiline max={200000} />
          </pre>
        </>
      )}
    </dialog>
  );
};
