// The witness's cosigning key: made once in its data directory (<dir>/witness.key, mode 0600, the C2SP signer-key
// text of type cosignature/v1, 0x04) and read on every start; <dir>/witness.vkey holds the public verifier key that
// logs and verifiers are given. Whoever reads witness.key can cosign as this witness: it must never leave the host.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CS_ERR } from '../errors.js';
import { cosigner, type Cosigner } from '../tlog/cosignature.js';
import { generateKey, SIGNATURE_TYPES } from '../tlog/note-keys.js';

export const WITNESS_KEY_FILE = 'witness.key';
export const WITNESS_VKEY_FILE = 'witness.vkey';

export interface WitnessKey {
  readonly cosigner: Cosigner;
  readonly file: string;
  readonly generated: boolean;
}

/** Reads the key, making it first (named `name`) when the directory has none. */
export const loadOrCreateWitnessKey = (dataDir: string, name: string): WitnessKey => {
  const file = join(dataDir, WITNESS_KEY_FILE);
  let generated = false;
  if (!existsSync(file)) {
    const k = generateKey(name, { type: SIGNATURE_TYPES.cosignatureV1 });
    if (!k.ok) throw CS_ERR.badArgument(`--name: cannot make a witness key named ${JSON.stringify(name)}: ${k.error.message}`);
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      // 'wx': two witnesses started at once on one directory must not each write a key.
      writeFileSync(file, `${k.value.signerKey}\n`, { mode: 0o600, flag: 'wx' });
      writeFileSync(join(dataDir, WITNESS_VKEY_FILE), `${k.value.verifierKey}\n`, { mode: 0o644 });
    } catch (e) {
      throw CS_ERR.dataDirUnusable(dataDir, e);
    }
    generated = true;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw CS_ERR.dataDirUnusable(dataDir, e);
  }
  const c = cosigner(text);
  if (!c.ok) throw CS_ERR.dataDirUnusable(dataDir, new Error(`${file}: not a witness (cosignature/v1) signing key: ${c.error.message}`));
  return { cosigner: c.value, file, generated };
};
