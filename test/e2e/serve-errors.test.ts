// What an operator sees when start-up cannot go on: the file, the option, the problem; exit code 2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/countersign.js';

describe('serve refuses to start half-configured', () => {
  it('names the file and the option of a bad config', () => {
    const dir = tempDir('badcfg');
    const f = join(dir, 'cs.yaml');
    writeFileSync(f, 'sources:\n  tcp:\n    port: "5514"\n');
    const r = runCli(['serve', '--config', f, '--data', join(dir, 'data')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^countersign: ${f}: sources\\.tcp\\.port: .*expected number`, 'm'));
  });

  it('says which listener could not bind', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir('busy');
    const f = join(dir, 'cs.yaml');
    writeFileSync(f, `sources:\n  udp: { enabled: false }\n  tls: { enabled: false }\n  relp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\nweb: { port: 0 }\n`);
    const r = runCli(['serve', '--config', f, '--data', join(dir, 'data')]);
    blocker.close();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`syslog tcp: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
  });

  it('exits (does not hang) when the web port is taken after the writer thread started', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir('webbusy');
    const f = join(dir, 'cs.yaml');
    writeFileSync(f, `sources:\n  udp: { host: 127.0.0.1, port: 0 }\n  tcp: { host: 127.0.0.1, port: 0 }\n  tls: { enabled: false }\n  relp: { enabled: false }\nweb: { host: 127.0.0.1, port: ${port} }\n`);
    const r = runCli(['serve', '--config', f, '--data', join(dir, 'data')]);
    blocker.close();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`web: cannot listen on 127.0.0.1:${port}`);
  });

  it('records: a data directory without a store is an error, not an empty list', () => {
    const r = runCli(['records', '--data', join(tempDir('nostore'), 'none')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no Countersign store here/);
  });

  it('--help lists the commands', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['serve', 'import', 'records']) expect(r.stdout).toContain(c);
  });
});
