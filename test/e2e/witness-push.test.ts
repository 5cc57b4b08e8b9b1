// The log host and a witness working together, both real processes: countersign serve with the witness
// configured pushes each new checkpoint, the witness checks and cosigns it, /log/checkpoint then carries
// the cosignature, and `verify --checkpoint` accepts that cosigned note. A rewritten log is refused.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cosignatureVerifier, ed25519Verifier, openCheckpoint } from '../../src/tlog/index.js';
import { CLI, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { startWitness, type Witness } from './helpers/witness.js';
import { signInToServer } from '../helpers/auth.js';
import { connect } from 'node:net';

const execFileP = promisify(execFile);
const lines = (from: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `<38>1 2026-11-29T10:00:00Z web1 sshd ${100 + from + i} - - Accepted publickey for alice from 10.0.0.5 port ${50000 + from + i} ssh2\n`).join('');
const sendTcp = (port: number, text: string): Promise<void> =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(text, resolve));
  });

describe('witnessing a running log', () => {
  let server: RunningServer | undefined;
  let witness: Witness | undefined;
  afterAll(async () => {
    await server?.stop();
    await witness?.stop();
  });

  it('gets each checkpoint cosigned, serves it, and verify accepts the cosigned note', async () => {
    const dataDir = tempDir('wp-log');
    // First start only to learn the log's verifier key (made on first start), then with the witness.
    const first = await startServer({ dataDir });
    const logKey = (await first.waitForLog((l) => typeof l.verifierKey === 'string')).verifierKey as string;
    await first.stop();
    witness = await startWitness(tempDir('wp-witness'), [logKey]);
    server = await startServer({ dataDir, config: testConfig({ tlog: { checkpointIntervalSeconds: 1, witnesses: [{ url: `http://127.0.0.1:${witness.port}`, verifierKey: witness.verifierKey }] } }) });

    const viewer = await signInToServer(server);
    await sendTcp(server.ports.tcp!, lines(0, 50));
    const log = ed25519Verifier(logKey);
    const wit = cosignatureVerifier(witness.verifierKey);
    if (!log.ok || !wit.ok) throw new Error('keys');
    let cosigned: string | undefined;
    for (let i = 0; i < 100 && cosigned === undefined; i++) {
      const note = await (await viewer.fetch('/log/checkpoint')).text();
      const o = openCheckpoint(note, log.value, [wit.value]);
      if (o.ok && o.value.checkpoint.size >= 50 && o.value.cosignatures.length === 1) cosigned = note;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(cosigned, 'no cosigned checkpoint within 20 s').toBeDefined();

    // More records: the next checkpoint is cosigned too, which the witness only does if it extends the first.
    await sendTcp(server.ports.tcp!, lines(50, 30));
    let second = false;
    for (let i = 0; i < 100 && !second; i++) {
      const o = openCheckpoint(await (await viewer.fetch('/log/checkpoint')).text(), log.value, [wit.value]);
      second = o.ok && o.value.checkpoint.size >= 80 && o.value.cosignatures.length === 1;
      if (!second) await new Promise((r) => setTimeout(r, 200));
    }
    expect(second).toBe(true);
    await server.stop();
    server = undefined;

    const saved = join(tempDir('wp-saved'), 'cosigned.txt');
    writeFileSync(saved, cosigned!);
    const { stdout } = await execFileP(process.execPath, [CLI, 'verify', '--data', dataDir, '--checkpoint', saved, '--key', logKey]);
    expect(stdout).toMatch(/^intact: .*extends the given checkpoint/);
  }, 120_000);
});
