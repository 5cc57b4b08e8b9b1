import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openReader, openWriter, prepareStore } from '../index.js';
import type { NewRecord } from '../types.js';

const rec = (text: string, extra: Partial<NewRecord> = {}): NewRecord => {
  const raw = Buffer.from(text, 'latin1');
  return {
    receivedAt: 1_700_000_000_000,
    conn: { key: 1, transport: 'tcp', peer: '10.0.0.1:5000', peerIdentity: null },
    raw,
    rawSha256: hash('sha256', raw, 'buffer') as unknown as Buffer,
    envelope: { format: 'rfc3164', hostname: 'web1', app: 'sshd', procid: '42', msg: text, time: 1_700_000_000_000, timeQuality: 'inferred-year' },
    unparsedReason: null,
    ...extra,
  };
};

describe('SQLite store', () => {
  it('stores raw bytes exactly, with gap-free seqs from 0, and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-store-'));
    await prepareStore(dir);
    const w = openWriter(dir);
    const many = Array.from({ length: 150 }, (_, i) => rec(`line ${i}`));
    expect(await w.append(many)).toEqual({ firstSeq: 0, count: 150 });
    const odd = rec('\x00\xff\xfe bytes', { envelope: null, unparsedReason: 'no-envelope', conn: { key: 2, transport: 'udp', peer: '10.0.0.9:514', peerIdentity: 'CN=x' } });
    expect(await w.append([odd], [{ transport: 'udp', reason: 'queue-full', count: 4 }])).toEqual({ firstSeq: 150, count: 1 });
    await w.append([], [{ transport: 'udp', reason: 'queue-full', count: 1 }]);
    w.close();

    const r = openReader(dir, { readonly: true });
    const last = await r.latest({ limit: 2 });
    expect(last.map((x) => x.seq)).toEqual([149, 150]);
    expect(Buffer.from(last[1]!.raw)).toEqual(Buffer.from('\x00\xff\xfe bytes', 'latin1'));
    expect(last[1]).toMatchObject({ kind: 'unparsed', unparsedReason: 'no-envelope', transport: 'udp', peerIdentity: 'CN=x', envelope: null });
    expect(last[1]!.rawSha256).toBe(hash('sha256', Buffer.from('\x00\xff\xfe bytes', 'latin1'), 'hex'));
    expect(last[0]!.envelope).toEqual({ format: 'rfc3164', hostname: 'web1', app: 'sshd', procid: '42', msg: 'line 149', time: 1_700_000_000_000, timeQuality: 'inferred-year' });
    expect(last[0]).toMatchObject({ transport: 'tcp', peer: '10.0.0.1:5000', peerIdentity: null });
    expect((await r.latest({ limit: 5, kind: 'unparsed' })).map((x) => x.seq)).toEqual([150]);
    expect((await r.latest({ limit: 2, beforeSeq: 10 })).map((x) => x.seq)).toEqual([8, 9]);
    expect(await r.stats()).toEqual({ records: 151, unparsed: 1, lastSeq: 150, counters: [{ transport: 'udp', reason: 'queue-full', count: 5 }] });
    await r.close();
  });

  it('keeps seqs gap-free when two writers (serve and import) interleave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-store-'));
    await prepareStore(dir);
    const a = openWriter(dir);
    const b = openWriter(dir);
    const got = [];
    for (let i = 0; i < 10; i++) got.push(await (i % 2 ? a : b).append([rec(`x${i}`), rec(`y${i}`)]));
    expect(got.map((g) => g.firstSeq)).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    a.close();
    b.close();
  });

  it('refuses to read a directory with no store', () => {
    expect(() => openReader(join(tmpdir(), 'cs-definitely-missing'), { readonly: true })).toThrow(/no Countersign store here/);
  });
});

describe('SQLite store: envelope round trip', () => {
  it('gives back every envelope field as the parser produced it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-store-'));
    await prepareStore(dir);
    const w = openWriter(dir);
    const full = {
      format: 'rfc5424' as const, facility: 23, severity: 5, time: 1_700_000_000_123, timeQuality: 'exact' as const, hostname: 'mx1', app: 'mgd',
      procid: '77', msgid: 'UI_COMMIT', structuredData: [{ id: 'junos@2636.1.1.1.2.18', params: [['username', 'alice'], ['x', 'a"b]']] as [string, string][] }],
      deviceSeq: 12, msg: 'commit', extra: { k: 'v' },
    };
    const sevOnly = { format: 'journald' as const, severity: 3, msg: 'x' };
    await w.append([rec('a', { envelope: full }), rec('b', { envelope: sevOnly })]);
    w.close();
    const r = openReader(dir);
    const [a, b] = await r.latest({ limit: 2 });
    expect(a!.envelope).toEqual(full);
    expect(b!.envelope).toEqual(sevOnly);
    await r.close();
  });
});
