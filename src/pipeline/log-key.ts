// The log's Ed25519 signing key: made once in the data directory (data/tlog/log.key, mode 0600, the
// C2SP signer-key text) and read on every start. Its verifier key is what everyone else holds to check
// checkpoints; it is printed at start. Anyone who can read this file can sign checkpoints: witnesses
// and saved checkpoints are what still catch a rewrite by such a person (README).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { newLogName } from '../ids.js';
import { ed25519Signer, generateKey, type NoteSigner } from '../tlog/index.js';

export interface LogKey {
  readonly signer: NoteSigner;
  /** C2SP verifier key: `name+hash+base64`. */
  readonly verifierKey: string;
  /** The key's name, used as the checkpoints' origin line. */
  readonly origin: string;
  readonly file: string;
  readonly generated: boolean;
}

export const logKeyFile = (dataDir: string): string => join(dataDir, 'tlog', 'log.key');
export const logVerifierKeyFile = (dataDir: string): string => join(dataDir, 'tlog', 'log.vkey');

export const loadOrCreateLogKey = (dataDir: string): LogKey => {
  const file = logKeyFile(dataDir);
  let generated = false;
  if (!existsSync(file)) {
    const k = generateKey(newLogName(hostname()));
    if (!k.ok) throw new Error(`cannot make the log key: ${k.error.message}`);
    mkdirSync(join(dataDir, 'tlog'), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${k.value.signerKey}\n`, { mode: 0o600, flag: 'wx' });
      writeFileSync(logVerifierKeyFile(dataDir), `${k.value.verifierKey}\n`, { mode: 0o644 });
      generated = true;
    } catch (e) {
      // Another process (an import beside a first server start) made it a moment ago: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const s = ed25519Signer(readFileSync(file, 'utf8').trim());
  if (!s.ok) throw new Error(`${file}: not a log signing key: ${s.error.message}`);
  return { signer: s.value, verifierKey: s.value.verifierKey, origin: s.value.name, file, generated };
};
