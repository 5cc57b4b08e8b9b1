// Runs a real `countersign witness` (dist/) on a free port for e2e tests, reading its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './countersign.js';

export interface Witness {
  readonly proc: ChildProcess;
  readonly port: number;
  readonly verifierKey: string;
  readonly lines: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

export const startWitness = (dataDir: string, logs: string[]): Promise<Witness> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, 'witness', '--data', dataDir, '--listen', '127.0.0.1:0', ...logs.flatMap((l) => ['--log', l])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let buf = '';
    let err = '';
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    void exited.then((code) => reject(new Error(`the witness exited (${code}) before listening: ${err}`)));
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let l: Record<string, unknown>;
        try {
          l = JSON.parse(text) as Record<string, unknown>;
        } catch {
          err += `stdout (not JSON): ${text}\n`;
          continue;
        }
        lines.push(l);
        if (l.msg === 'listening') {
          const key = lines.find((k) => k.msg === 'witness key')?.verifierKey as string;
          resolve({ proc, port: l.port as number, verifierKey: key, lines, stop: async () => (proc.kill('SIGTERM'), exited) });
        }
      }
    });
  });

