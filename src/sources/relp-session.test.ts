import { describe, expect, it } from 'vitest';
import type { RelpFrame } from './framing/relp.js';
import { nextTxnr, parseOffers, RelpAnswers, RelpSession } from './relp-session.js';

const fr = (txnr: number, command: string, data = ''): RelpFrame => ({ txnr, command, data: Buffer.from(data, 'latin1'), wireBytes: 0 });
const OPEN = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';

describe('RELP session', () => {
  it('answers open with its offers, then takes syslog frames to store', () => {
    const s = new RelpSession();
    expect(s.handle(fr(1, 'open', OPEN))).toEqual({ kind: 'reply', txnr: 1, text: '200 OK\nrelp_version=0\nrelp_software=countersign\ncommands=syslog' });
    expect(s.software).toBe('librelp,1.11.0,http://librelp.adiscon.com');
    expect(s.handle(fr(2, 'syslog', '<13>1 x'))).toMatchObject({ kind: 'store', txnr: 2 });
    expect(s.handle(fr(3, 'close'))).toEqual({ kind: 'close', txnr: 3 });
  });

  it('refuses syslog before open, and an open without relp_version or without the syslog command', () => {
    expect(new RelpSession().handle(fr(1, 'syslog', 'x'))).toMatchObject({ kind: 'fail', txnr: 1, reason: 'relp-syslog-before-open' });
    expect(new RelpSession().handle(fr(1, 'open', 'commands=syslog'))).toMatchObject({ kind: 'fail', reason: 'relp-open-refused' });
    expect(new RelpSession().handle(fr(1, 'open', 'relp_version=x\ncommands=syslog'))).toMatchObject({ kind: 'fail', reason: 'relp-open-refused' });
    expect(new RelpSession().handle(fr(1, 'open', 'relp_version=0\ncommands=eventlog'))).toMatchObject({
      kind: 'fail',
      text: '500 required command not supported by client',
    });
  });

  it('answers a second open as librelp does, and 500 to a command it does not know (the session goes on)', () => {
    const s = new RelpSession();
    s.handle(fr(1, 'open', OPEN));
    expect(s.handle(fr(2, 'open', OPEN))).toEqual({ kind: 'reply', txnr: 2, text: '200 connection already open - ignored' });
    expect(s.handle(fr(3, 'starttls'))).toEqual({ kind: 'reply', txnr: 3, text: '500 command not supported', rejected: 'relp-unknown-command' });
    expect(s.handle(fr(4, 'syslog', 'x'))).toMatchObject({ kind: 'store', txnr: 4 });
  });

  it('breaks the session on a TXNR out of sequence (a gap, a repeat, or 0)', () => {
    const s = new RelpSession();
    s.handle(fr(1, 'open', OPEN));
    expect(s.handle(fr(3, 'syslog', 'x'))).toMatchObject({ kind: 'fail', txnr: 3, reason: 'relp-txnr-out-of-sequence' });
    expect(new RelpSession().handle(fr(0, 'open', OPEN))).toMatchObject({ kind: 'fail', reason: 'relp-txnr-out-of-sequence' });
  });

  it('latches TXNR at 999 999 999 and starts again at 1', () => {
    expect(nextTxnr(999_999_999)).toBe(1);
    expect(nextTxnr(41)).toBe(42);
  });

  it('reads offers as librelp writes them', () => {
    expect([...parseOffers(Buffer.from('relp_version=0\nrelp_software=librelp,1.11.0\ncommands=syslog,eventlog\nflag'))]).toEqual([
      ['relp_version', ['0']],
      ['relp_software', ['librelp', '1.11.0']],
      ['commands', ['syslog', 'eventlog']],
      ['flag', []],
    ]);
  });
});

describe('RELP answers', () => {
  it('go out in transaction order, a stored frame only once its ingest number committed', () => {
    const a = new RelpAnswers();
    a.add(1, '200 OK\noffers');
    a.add(2, '200 OK', 5);
    a.add(3, '500 command not supported');
    a.add(4, '200 OK', 6);
    expect(a.unacked).toBe(2);
    expect(a.take(4)).toEqual({ answers: [{ txnr: 1, text: '200 OK\noffers' }], close: false });
    // Frame 5 committed: txnr 2 is answered, and the 500 behind it may go too; txnr 4 waits for frame 6.
    expect(a.take(5)).toEqual({ answers: [{ txnr: 2, text: '200 OK' }, { txnr: 3, text: '500 command not supported' }], close: false });
    expect(a.unacked).toBe(1);
    expect(a.take(6).answers).toEqual([{ txnr: 4, text: '200 OK' }]);
    expect(a.unacked).toBe(0);
  });

  it('a close waits for the answers before it, and nothing after it is sent', () => {
    const a = new RelpAnswers();
    a.add(1, '200 OK', 1);
    a.add(2, '', 0, true);
    a.add(3, '200 OK');
    expect(a.take(0)).toEqual({ answers: [], close: false });
    expect(a.take(1)).toEqual({ answers: [{ txnr: 1, text: '200 OK' }, { txnr: 2, text: '' }], close: true });
  });

  it('a close without a transaction (framing broke before the TXNR was read) sends nothing', () => {
    const a = new RelpAnswers();
    a.add(0, '', 0, true);
    expect(a.take(0)).toEqual({ answers: [], close: true });
  });
});
