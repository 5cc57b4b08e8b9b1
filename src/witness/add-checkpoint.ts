// The witness's one decision (c2sp.org/tlog-witness `add-checkpoint`): read the request body strictly, check the
// checkpoint's signature by the configured log key and that it extends what this witness last cosigned, store it
// atomically, and answer with a cosignature/v1 line. Every refusal is a status with a one-line reason; it never
// throws on a body, and it never cosigns anything it has not stored first.
import type { Clock } from '../clock.js';
import { openCheckpoint, parseCheckpoint } from '../tlog/checkpoint.js';
import type { Cosigner } from '../tlog/cosignature.js';
import { emptyRoot, hashesEqual } from '../tlog/hash.js';
import { formatSignatureLine, parseNote, signNote } from '../tlog/note.js';
import type { NoteVerifier } from '../tlog/note-keys.js';
import { decodeBase64, decodeUtf8 } from '../tlog/note-text.js';
import { verifyConsistency } from '../tlog/proof-verify.js';
import type { WitnessStatePort } from './state.js';

/** The spec caps the consistency proof lines a client may send. */
export const MAX_PROOF_LINES = 63;
export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** Why a request was not cosigned, each with the status c2sp.org/tlog-witness gives it. */
export const WITNESS_REFUSALS = {
  /** The body is not `old N`, proof lines, an empty line and a well-formed checkpoint note. */
  malformed: 400,
  /** The old size is above the checkpoint's size. */
  'old-size-too-large': 400,
  /** No configured log has the checkpoint's origin. */
  'unknown-log': 404,
  /** No signature by the log's key on it verifies, or one by that key fails. */
  'bad-signature': 403,
  /** The old size is not the size this witness last cosigned (the body says which it is). */
  'stale-old-size': 409,
  /** Same size as the last cosigned checkpoint but another root: a fork. */
  'root-mismatch': 409,
  /** The consistency proof does not take the cosigned tree to the new one. */
  'bad-proof': 422,
} as const;
export type WitnessRefusal = keyof typeof WITNESS_REFUSALS;

export type WitnessReply =
  | { readonly kind: 'cosigned'; readonly status: 200; readonly contentType: string; readonly body: string; readonly size: number }
  | { readonly kind: WitnessRefusal; readonly status: number; readonly contentType: string; readonly body: string };

export interface AddCheckpointDeps {
  /** The configured logs: origin → the log's checkpoint verifier. */
  readonly logs: ReadonlyMap<string, NoteVerifier>;
  readonly state: WitnessStatePort;
  readonly cosigner: Cosigner;
  readonly clock: Clock;
}

interface Request {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  readonly note: string;
}

const OLD_LINE = /^old (0|[1-9][0-9]*)$/;
const TEXT = 'text/plain; charset=utf-8';

const refuse = (kind: WitnessRefusal, reason: string): WitnessReply => ({
  kind,
  status: WITNESS_REFUSALS[kind],
  contentType: TEXT,
  // One line whatever the reason holds: it may quote a hostile body.
  body: `${reason.replace(/[\u0000-\u001f\u007f]/g, ' ')}\n`,
});

const stale = (storedSize: number): WitnessReply => ({
  kind: 'stale-old-size',
  status: WITNESS_REFUSALS['stale-old-size'],
  contentType: SIZE_CONTENT_TYPE,
  body: `${storedSize}\n`,
});

/** Reads `old N\n`, up to 63 base64 hash lines, `\n`, then the note (kept as given). */
export function parseAddCheckpoint(body: string): { ok: true; value: Request } | { ok: false; reason: string } {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const nl = body.indexOf('\n', at);
    if (nl < 0) return { ok: false, reason: 'the body ends before the empty line that precedes the checkpoint' };
    const line = body.slice(at, nl);
    at = nl + 1;
    if (line === '') break;
    lines.push(line);
    if (lines.length > 1 + MAX_PROOF_LINES) return { ok: false, reason: `more than ${MAX_PROOF_LINES} consistency proof lines` };
  }
  const [first, ...proofLines] = lines;
  const old = first === undefined ? null : OLD_LINE.exec(first);
  if (old === null) return { ok: false, reason: 'the first line is "old <size>", the size in decimal without leading zeros' };
  const oldSize = Number(old[1]);
  if (!Number.isSafeInteger(oldSize)) return { ok: false, reason: 'the old size is above 2^53 − 1' };
  const proof: Uint8Array[] = [];
  for (const [i, line] of proofLines.entries()) {
    const hash = decodeBase64(line);
    if (hash === undefined || hash.length !== 32) return { ok: false, reason: `proof line ${i + 1} is not canonical base64 of a 32-byte hash` };
    proof.push(hash);
  }
  return { ok: true, value: { oldSize, proof, note: body.slice(at) } };
}

/** Handles one add-checkpoint request body. */
export function addCheckpoint(body: Uint8Array | string, deps: AddCheckpointDeps): WitnessReply {
  const text = typeof body === 'string' ? body : decodeUtf8(body);
  if (text === undefined) return refuse('malformed', 'the body is not UTF-8');
  const request = parseAddCheckpoint(text);
  if (!request.ok) return refuse('malformed', request.reason);
  const { oldSize, proof, note } = request.value;

  // The origin decides which key to check with, so it is read (untrusted) before any signature is.
  const parsedNote = parseNote(note);
  if (!parsedNote.ok) return refuse('malformed', `the checkpoint is not a signed note: ${parsedNote.error.message}`);
  const unsigned = parseCheckpoint(parsedNote.value.text);
  if (!unsigned.ok) return refuse('malformed', `not a checkpoint: ${unsigned.error.message}`);
  const origin = unsigned.value.origin;
  const logKey = deps.logs.get(origin);
  if (logKey === undefined) return refuse('unknown-log', `this witness does not witness the log ${JSON.stringify(origin)}`);

  // Signatures by other keys (other witnesses, a second log key) are ignored, as the spec asks.
  const opened = openCheckpoint(note, logKey);
  if (!opened.ok) return refuse('bad-signature', `no valid signature by the log key ${logKey.name}: ${opened.error.message}`);
  const { checkpoint } = opened.value;
  const newSize = checkpoint.size;
  const newRoot = checkpoint.rootHash;

  if (oldSize > newSize) return refuse('old-size-too-large', `old size ${oldSize} is above the checkpoint's size ${newSize}`);

  const stored = deps.state.latest(origin);
  const storedSize = stored?.size ?? 0;
  const storedRoot = stored?.rootHash ?? emptyRoot();
  if (oldSize !== storedSize) return stale(storedSize);

  // From here on the log signed something that does not fit what it showed before: keep it.
  const evidence = (kind: 'bad-proof' | 'root-mismatch', reason: string): WitnessReply => {
    deps.state.recordEvidence(origin, `${kind}: ${reason}`, text);
    return refuse(kind, reason);
  };
  if (oldSize === 0 && proof.length !== 0) return refuse('bad-proof', 'the proof from old size 0 is empty: every tree extends the empty one');
  if (newSize === 0 && !hashesEqual(newRoot, emptyRoot())) return evidence('bad-proof', 'a checkpoint of size 0 carries the empty tree\'s root');
  if (oldSize === newSize) {
    if (proof.length !== 0) return refuse('bad-proof', 'the proof between checkpoints of the same size is empty');
    if (!hashesEqual(newRoot, storedRoot)) return evidence('root-mismatch', `the log already showed this witness another root for size ${newSize}`);
  } else if (oldSize > 0) {
    const consistent = verifyConsistency(oldSize, newSize, proof, storedRoot, newRoot);
    if (!consistent.ok) return evidence('bad-proof', `size ${newSize} does not extend the cosigned size ${oldSize}: ${consistent.error.message}`);
  }

  // Cosigning first is safe: nothing leaves until the store below succeeds, and the note stored is the cosigned one.
  const cosignature = deps.cosigner.cosign(opened.value.text, Math.floor(deps.clock.now() / 1000));
  if (!cosignature.ok) throw new Error(`cannot cosign: ${cosignature.error.message}`);
  const cosigned = signNote(opened.value.text, [], [opened.value.logSignature, cosignature.value]);
  if (!cosigned.ok) throw new Error(`cannot assemble the cosigned note: ${cosigned.error.message}`);

  const moved = deps.state.checkAndStore(origin, oldSize, newSize, newRoot, cosigned.value);
  if (!moved.ok) {
    // Another request moved the size between the read above and the store: answer as if it had come first.
    if (moved.error.kind === 'conflict' || moved.error.kind === 'rollback') return stale(moved.error.storedSize);
    return refuse('unknown-log', `this witness does not witness the log ${JSON.stringify(origin)}`);
  }
  return { kind: 'cosigned', status: 200, contentType: TEXT, body: `${formatSignatureLine(cosignature.value)}\n`, size: newSize };
}
