// The tlog over HTTP (DESIGN §5): the latest signed checkpoint, inclusion and consistency proofs,
// entries, and the C2SP tiles themselves for third-party verifiers. Read-only; everything served is
// either signed or checkable against something signed.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CS_ERR } from '../../errors.js';
import type { SqliteTlogStore } from '../../store/sqlite/tlog-store.js';

const int = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');

/** Reading the log is for signed-in viewers and up (docs/review-api.md). */
const VIEWER = { config: { access: 'viewer' } } as const;

export const MAX_ENTRIES_PER_REQUEST = 1000;

export const logRoutes = (tlog: () => SqliteTlogStore) => async (app: FastifyInstance) => {
  app.get('/log/checkpoint', VIEWER, async (_req, reply) => {
    const c = tlog().latestCosigned(); // with the witnesses' cosignatures, when they have given them
    if (c === undefined) throw CS_ERR.notFound('no checkpoint has been signed yet');
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(c.note);
  });

  app.get('/log/proof/inclusion', VIEWER, async (req) => {
    const q = z.strictObject({ index: int, size: int }).safeParse(req.query);
    if (!q.success) throw CS_ERR.badRequest(problem(q.error));
    const { index, size } = q.data;
    const store = tlog();
    if (size > store.tree().size) throw CS_ERR.badRequest(`size ${size} is beyond the tree (${store.tree().size} entries)`);
    const p = store.inclusion(index, size);
    if (!p.ok) throw CS_ERR.badRequest(p.error.message);
    return { index, size, leafHash: b64(store.leafHash(index)!), proof: p.value.map(b64) };
  });

  app.get('/log/proof/consistency', VIEWER, async (req) => {
    const q = z.strictObject({ from: int, to: int }).safeParse(req.query);
    if (!q.success) throw CS_ERR.badRequest(problem(q.error));
    const { from, to } = q.data;
    const store = tlog();
    if (to > store.tree().size) throw CS_ERR.badRequest(`size ${to} is beyond the tree (${store.tree().size} entries)`);
    const p = store.consistency(from, to);
    if (!p.ok) throw CS_ERR.badRequest(p.error.message);
    return { from, to, proof: p.value.map(b64) };
  });

  // Everything an outsider needs to check one record against the latest signed checkpoint, in one reply:
  // the entry (hash it into the leaf), the proof, and the signed note whose root the proof must reach.
  app.get('/log/proof/record/:seq', VIEWER, async (req) => {
    const p = z.strictObject({ seq: int }).safeParse(req.params);
    if (!p.success) throw CS_ERR.badRequest(problem(p.error));
    const store = tlog();
    const c = store.latestCheckpoint();
    if (c === undefined) throw CS_ERR.notFound('no checkpoint has been signed yet');
    const { seq } = p.data;
    if (seq >= c.size) throw CS_ERR.notFound(`record ${seq} is not covered by the latest checkpoint (size ${c.size}) yet`);
    const entry = store.entries(seq, seq + 1)[0];
    const proof = store.inclusion(seq, c.size);
    if (entry === undefined || !proof.ok) throw CS_ERR.notFound(`no entry ${seq}`);
    return { index: seq, size: c.size, entry: entry.entry, leafHash: b64(store.leafHash(seq)!), proof: proof.value.map(b64), checkpoint: c.note };
  });

  app.get('/log/entries', VIEWER, async (req) => {
    const q = z.strictObject({ start: int, end: int }).safeParse(req.query);
    if (!q.success) throw CS_ERR.badRequest(problem(q.error));
    const { start, end } = q.data;
    if (end < start || end - start > MAX_ENTRIES_PER_REQUEST) throw CS_ERR.badRequest(`end must be ≥ start and at most ${MAX_ENTRIES_PER_REQUEST} past it`);
    const size = tlog().tree().size;
    return { entries: tlog().entries(start, Math.min(end, size)) };
  });

  // C2SP tlog-tiles read path: /log/tile/<L>/<N…>[.p/<W>], raw hashes.
  app.get('/log/tile/*', VIEWER, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const m = /^(\d{1,2})\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,3}))?$/.exec(rest);
    if (!m) throw CS_ERR.badRequest('not a tile path: tile/<level>/<index as x001/234>[.p/<width>]');
    const level = Number(m[1]);
    const index = Number(m[2]!.replace(/x|\//g, ''));
    const width = m[3] === undefined ? 256 : Number(m[3]);
    if (width < 1 || width > 256) throw CS_ERR.badRequest('tile width must be 1…256');
    const data = tlog().tile(level, index);
    if (data === undefined || data.length < width * 32) throw CS_ERR.notFound('no such tile');
    return reply.header('content-type', 'application/octet-stream').send(Buffer.from(data.subarray(0, width * 32)));
  });
};
