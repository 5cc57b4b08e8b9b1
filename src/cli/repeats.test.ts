import { describe, expect, it } from 'vitest';
import { findRepeats, senderAddress } from './repeats.js';

const rec = (seq: number, peer: string, sha: string, transport = 'relp') => ({ seq, transport, peer, rawSha256: sha, raw: new Uint8Array([1]) });

describe('repeats', () => {
  it('marks a record whose bytes repeat an earlier one from the same sender address and transport', () => {
    const rows = [rec(1, '10.0.0.1:5000', 'a'), rec(2, '10.0.0.1:5000', 'b'), rec(3, '10.0.0.1:6001', 'a'), rec(4, '10.0.0.2:6001', 'a'), rec(5, '10.0.0.1:6001', 'a', 'tcp'), rec(6, '[::1]:7', 'a'), rec(7, '[::1]:8', 'a')];
    expect(findRepeats(rows)).toEqual([
      { seq: 3, of: 1, transport: 'relp', sender: '10.0.0.1' },
      { seq: 7, of: 6, transport: 'relp', sender: '::1' },
    ]);
    expect(findRepeats(rows, 'tcp')).toEqual([]);
  });
  it('never counts internal entries or erased payloads', () => {
    expect(findRepeats([rec(1, 'countersign', 'x', 'internal'), rec(2, 'countersign', 'x', 'internal')])).toEqual([]);
    expect(findRepeats([{ ...rec(1, '1.2.3.4:1', 'x'), raw: new Uint8Array() }, { ...rec(2, '1.2.3.4:2', 'x'), raw: new Uint8Array() }])).toEqual([]);
  });
  it('takes the address without the port', () => {
    expect(senderAddress('192.0.2.1:514')).toBe('192.0.2.1');
    expect(senderAddress('[2001:db8::1]:514')).toBe('2001:db8::1');
    expect(senderAddress('file:/var/log/x')).toBe('file:/var/log/x');
  });
});
