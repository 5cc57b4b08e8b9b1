// The witness over HTTP (c2sp.org/tlog-witness): `POST /add-checkpoint` and `GET /healthz`, and starting it on a
// data directory (state, key, configured logs). The protocol's answers are plain text as the spec defines them;
// anything else that fails reaches the client as { code, message } only, with details in the diagnostics log.
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { CS_ERR, CsError } from '../errors.js';
import { ed25519Verifier } from '../tlog/note-keys.js';
import type { NoteVerifier } from '../tlog/note-keys.js';
import { addCheckpoint, type AddCheckpointDeps } from './add-checkpoint.js';
import { loadOrCreateWitnessKey } from './key.js';
import { WitnessState } from './state.js';

/** A checkpoint note with a hundred signatures is ~15 KB; nothing legitimate comes near this. */
export const MAX_BODY_BYTES = 256 * 1024;

export const buildWitnessApi = (deps: AddCheckpointDeps & { readonly log: Logger; readonly state: WitnessState }) => {
  const app = Fastify({ loggerInstance: deps.log.child({ component: 'witness-api' }, { level: 'warn' }), bodyLimit: MAX_BODY_BYTES });
  // The body is the protocol's own text whatever Content-Type the client sends (the spec names none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof CsError) return reply.status(err.status).send({ code: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.status(status).send({ code: 'CS_ERR_BAD_REQUEST', message: (err as Error).message });
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ code: 'CS_ERR_INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ code: 'CS_ERR_NOT_FOUND', message: 'no such resource' }));

  app.get('/healthz', async (_req, reply) =>
    reply.header('cache-control', 'no-store').send({
      status: 'ok',
      problems: [],
      verifierKey: deps.cosigner.verifierKey,
      logs: deps.state.all().filter((l) => deps.logs.has(l.origin)).map((l) => ({ origin: l.origin, size: l.size })),
    }),
  );

  app.post('/add-checkpoint', async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength) : new Uint8Array(0);
    const r = addCheckpoint(body, deps);
    if (r.kind === 'cosigned') deps.log.info({ size: r.size }, 'cosigned');
    else deps.log.warn({ refused: r.kind, status: r.status, reason: r.body.trimEnd() }, 'refused a checkpoint');
    return reply.status(r.status).header('content-type', r.contentType).header('cache-control', 'no-store').send(r.body);
  });
  return app;
};

export interface WitnessOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** The witness key's name, used only when the key is made. */
  readonly name: string;
  readonly logs: readonly { readonly origin: string; readonly verifierKey: string }[];
}

export interface RunningWitness {
  readonly verifierKey: string;
  readonly port: number;
  stop(): Promise<void>;
}

export const startWitness = async (o: WitnessOptions, log: Logger, clock: Clock): Promise<RunningWitness> => {
  const logs = new Map<string, NoteVerifier>();
  for (const l of o.logs) {
    const v = ed25519Verifier(l.verifierKey);
    if (!v.ok) throw CS_ERR.badArgument(`--log ${l.origin}: not a log verifier key (Ed25519, type 0x01): ${v.error.message}`);
    if (logs.has(l.origin)) throw CS_ERR.badArgument(`--log ${l.origin}: given twice`);
    logs.set(l.origin, v.value);
  }
  const key = loadOrCreateWitnessKey(o.dataDir, o.name);
  const state = WitnessState.open(o.dataDir, clock);
  for (const origin of state.configure(o.logs)) log.warn({ origin }, 'the log key for this origin changed; what was cosigned under the old key still binds it');
  log.info({ verifierKey: key.cosigner.verifierKey, keyFile: key.file, generated: key.generated }, 'witness key');
  for (const l of o.logs) log.info({ origin: l.origin, size: state.latest(l.origin)?.size ?? 0 }, 'witnessing');
  const app = buildWitnessApi({ logs, state, cosigner: key.cosigner, clock, log });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (e) {
    state.close();
    throw CS_ERR.listenFailed('witness', `${o.host}:${o.port}`, e);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  log.info({ source: 'witness', host: o.host, port }, 'listening');
  return {
    verifierKey: key.cosigner.verifierKey,
    port,
    stop: async () => {
      await app.close();
      state.close();
    },
  };
};
