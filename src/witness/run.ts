// `countersign witness`: reads its arguments, starts the witness and stops it on SIGTERM/SIGINT. Thin: the
// decisions live in add-checkpoint.ts and state.ts.
import { hostname } from 'node:os';
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { CS_ERR } from '../errors.js';
import { decodeVerifierKey } from '../tlog/note-keys.js';
import { startWitness } from './server.js';

export interface WitnessCliOptions {
  readonly data: string;
  readonly listen: string;
  readonly log: readonly string[];
  readonly name?: string;
}

/** `ORIGIN=VKEY`, or a bare VKEY whose key name is the origin (as for Countersign's own logs). */
export const parseLogOption = (value: string): { origin: string; verifierKey: string } => {
  const bare = decodeVerifierKey(value);
  if (bare.ok) return { origin: bare.value.name, verifierKey: value };
  const eq = value.indexOf('=');
  if (eq <= 0) throw CS_ERR.badArgument(`--log: expected ORIGIN=VKEY (the key countersign serve prints), got ${JSON.stringify(value)}`);
  const origin = value.slice(0, eq);
  const verifierKey = value.slice(eq + 1);
  const k = decodeVerifierKey(verifierKey);
  if (!k.ok) throw CS_ERR.badArgument(`--log ${origin}: not a verifier key: ${k.error.message}`);
  return { origin, verifierKey };
};

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces). */
export const parseListen = (value: string): { host: string; port: number } => {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) throw CS_ERR.badArgument(`--listen: expected HOST:PORT (port 0–65535), got ${JSON.stringify(value)}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
};

export const defaultWitnessName = (): string => `countersign-witness/${hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'host'}`;

export const runWitness = async (o: WitnessCliOptions): Promise<void> => {
  if (o.log.length === 0) throw CS_ERR.badArgument('give at least one --log ORIGIN=VKEY: the logs this witness cosigns');
  const logs = o.log.map(parseLogOption);
  const { host, port } = parseListen(o.listen);
  const log = pino({ base: { service: 'countersign-witness' } });
  const running = await startWitness({ dataDir: o.data, host, port, name: o.name ?? defaultWitnessName(), logs }, log, systemClock);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) return;
    log.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.fatal({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
};
