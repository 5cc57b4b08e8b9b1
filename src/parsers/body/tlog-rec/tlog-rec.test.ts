// tlog-rec: tlog's own journal fixtures (lib/tlitest) and syslog captures from Debian's tlog 12.1 → events;
// reassembly against what tlog's tests expect of the same files; asciicast reading; contract and time bounds.
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, TtyChunk } from '../../../model/event.js';
import { checkBodyParserContract, inputFromLine, inputsFromText, runParser } from '../testing.js';
import type { BodyInput } from '../types.js';
import { parseAsciicast } from './asciicast.js';
import { reassemble, toAsciicastText, type ReassembledRecording } from './recording.js';
import { parseTlogMessage, tlogRec } from './tlog-rec.js';

const TESTDATA = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, TESTDATA), 'utf8');

/** `journalctl -o export` text → one `journalctl -o json` line per entry (the corpus has no binary fields). */
const exportToJsonLines = (text: string): string[] =>
  text
    .split('\n\n')
    .filter((e) => e.trim() !== '')
    .map((entry) => {
      const o: Record<string, string> = {};
      for (const line of entry.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) o[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return JSON.stringify(o);
    });
const journalInputs = (name: string): BodyInput[] => exportToJsonLines(read(name)).map((l, i) => inputFromLine(l, i + 1, { format: 'journald' }));

/** Runs the parser the way the registry would: claimed records and records of its programs. */
const run = (inputs: readonly BodyInput[]): { events: Event[]; unparsed: number; mine: number } => {
  const p = tlogRec();
  const mine = inputs.filter((i) => (p.claims?.(i) ?? false) || p.programs.includes(i.envelope.app ?? ''));
  const { events, outcomes } = runParser(p, mine);
  return { events, unparsed: outcomes.filter((o) => o.kind === 'unparsed').length, mine: mine.length };
};
const chunksOf = (events: readonly Event[]): TtyChunk[] => events.flatMap((e) => (e.recording !== undefined ? [e.recording] : []));
const reassembled = (chunks: readonly TtyChunk[]): ReassembledRecording => {
  const r = reassemble(chunks);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const JOURNALS = ['journal-good.txt', 'journal-bad-timing.txt', 'journal-missing-entry.txt'] as const;
const SYSLOG = ['capture-tlog-12.1-syslog.log', 'capture-tlog-12.1-syslog.rfc5424.log'] as const;

describe('tlog-rec events', () => {
  it('reads a syslog line from tlog-rec 12.1 (binary output, no audit session)', () => {
    const line = read('capture-tlog-12.1-syslog.log').split('\n')[0] ?? '';
    expect(tlogRec().parse(inputFromLine(line))).toStrictEqual({
      kind: 'events',
      events: [
        {
          seq: 1,
          time: Date.UTC(2026, 10, 29, 20, 28, 56),
          host: 'vm',
          kind: 'tty_io',
          action: 'recording',
          user: 'root',
          hints: { tlogRec: '9def46deb87d4fa39fc2f54441e921c5-3e2f-104d5' },
          parser: 'tlog-rec@1',
          recording: {
            rec: '9def46deb87d4fa39fc2f54441e921c5-3e2f-104d5',
            id: 1,
            pos: 0,
            timing: '=0x0+1>7]2/2>5+201>5',
            inText: '',
            outText: 'hello\r\n\uFFFD\uFFFDbin\r\nbye\r\n',
            inBin: [],
            outBin: [255, 254],
            term: { type: 'xterm', width: 0, height: 0 },
          },
          detail: { ver: '2.3', recHost: 'vm', recTime: 1795984136.371 },
        },
      ],
    });
  });

  it('reads a journald entry by its TLOG_REC field although the program is "-tlog-rec-session"', () => {
    const inputs = journalInputs('journal-good.txt');
    const first = inputs.find((i) => i.envelope.extra?.TLOG_ID === '1');
    expect(first?.envelope.app).toBe('-tlog-rec-session');
    const o = first === undefined ? undefined : tlogRec().parse(first);
    expect(o?.kind).toBe('events');
    if (o?.kind !== 'events') return;
    const e = o.events[0];
    expect(e).toMatchObject({
      time: 1543433166649,
      host: 'mytesthost.example.test',
      kind: 'tty_io',
      action: 'recording',
      user: 'localuser1',
      hints: { tlogRec: '6211b985bd1e49908726bd24cd514099-600-b0b9', auditSession: '5' },
      recording: { id: 1, pos: 0, term: { type: 'xterm-256color', width: 103, height: 27 } },
      detail: { ver: '2.2', recHost: 'mytesthost.example.test' },
    });
    expect(e?.recording?.timing).toBe('=103x27+61>55+789>1+85>1+93>1+59>1+129>1+60>1+204>2+9>158+1>1695');
  });

  it.each([
    ['not JSON', '{"ver":"2.2",', 'malformed'],
    ['a JSON array', '[1,2]', 'unknown-message'],
    ['no rec', '{"ver":"2.2","host":"h","user":"u","term":"xterm","session":1,"id":1,"pos":0,"timing":""}', 'malformed'],
    ['id 0', '{"ver":"2.2","host":"h","rec":"r","user":"u","term":"xterm","session":1,"id":0,"pos":0,"timing":""}', 'malformed'],
    ['a byte over 255', '{"ver":"2.2","host":"h","rec":"r","user":"u","term":"xterm","session":1,"id":1,"pos":0,"timing":"","out_bin":[256]}', 'malformed'],
    ['format version 1', '{"ver":1,"host":"h","rec":"r","user":"u","term":"xterm","session":1,"id":1,"pos":0,"timing":""}', 'malformed'],
    ['format version 3.0', '{"ver":"3.0","host":"h","rec":"r","user":"u","term":"xterm","session":1,"id":1,"pos":0,"timing":""}', 'malformed'],
    ['a tlog diagnostic', 'Failed setting up the I/O tap', 'unknown-message'],
  ])('%s is unparsed', (_name, msg, reason) => {
    const o = tlogRec().parse({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'tlog-rec-session', msg } });
    expect(o).toMatchObject({ kind: 'unparsed', reason });
  });

  it('leaves other programs alone and claims only tlog journald entries', () => {
    const p = tlogRec();
    const base: BodyInput = { seq: 1, time: 0, host: 'h', envelope: { format: 'journald', app: 'sshd', msg: '{}', extra: {} } };
    expect(p.parse(base)).toStrictEqual({ kind: 'not-mine' });
    expect(p.claims?.(base)).toBe(false);
    expect(p.claims?.({ ...base, envelope: { ...base.envelope, extra: { TLOG_REC: 'x' } } })).toBe(true);
  });
});

describe('tlog-rec fixtures', () => {
  const PINNED: Record<string, { records: number; mine: number; events: number; unparsed: number }> = {
    'journal-good.txt': { records: 58, mine: 7, events: 7, unparsed: 0 },
    'journal-bad-timing.txt': { records: 68, mine: 4, events: 4, unparsed: 0 },
    'journal-missing-entry.txt': { records: 61, mine: 15, events: 15, unparsed: 0 },
    'capture-tlog-12.1-syslog.log': { records: 5, mine: 5, events: 5, unparsed: 0 },
    'capture-tlog-12.1-syslog.rfc5424.log': { records: 5, mine: 5, events: 5, unparsed: 0 },
  };
  const inputsOf = (f: string): BodyInput[] => (f.startsWith('journal-') ? journalInputs(f) : inputsFromText(read(f)));

  it.each(Object.keys(PINNED))('%s: pinned counts', (f) => {
    const inputs = inputsOf(f);
    const r = run(inputs);
    expect({ records: inputs.length, mine: r.mine, events: r.events.length, unparsed: r.unparsed }).toStrictEqual(PINNED[f]);
  });

  it('the journal MESSAGEs are the corpus JSONL messages, unchanged', () => {
    const fromJournal = chunksOf(run(journalInputs('journal-good.txt')).events);
    const fromJsonl = read('journal-good.tlog-messages.jsonl')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const m = parseTlogMessage(l);
        if (!m.ok) throw new Error(m.error);
        return m.value.chunk;
      });
    expect(fromJournal).toStrictEqual(fromJsonl);
  });

  it('every fixture record matches the reviewed golden file (chunk texts abbreviated)', () => {
    const abbreviate = (e: Event): unknown =>
      e.recording === undefined ? e : { ...e, recording: { ...e.recording, outText: `${e.recording.outText.length} chars: ${JSON.stringify(e.recording.outText.slice(0, 40))}…` } };
    const actual = Object.fromEntries(Object.keys(PINNED).map((f) => [f, run(inputsOf(f)).events.map(abbreviate)]));
    const golden = new URL('expected-events.json', TESTDATA);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, JSON.stringify(actual, null, 1) + '\n');
    expect(actual).toStrictEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });
});

describe('recording reassembly (tlog lib/tlitest expectations)', () => {
  const good = chunksOf(run(journalInputs('journal-good.txt')).events);

  it('journal-good: the whole session replays, ending in "logout" (tlog-play -g end expects it)', () => {
    const r = reassembled(good);
    expect(r.issues).toStrictEqual([]);
    expect(r.rec).toBe('6211b985bd1e49908726bd24cd514099-600-b0b9');
    expect(r.output).toBe(good.map((c) => c.outText).join(''));
    expect(r.output).toContain('[localuser1@mytesthost ~]$ ps -ef\r\n');
    expect(r.output.trimEnd().endsWith('logout')).toBe(true);
    expect(r.input).toBe('');
    expect({ version: r.asciicast.version, width: r.asciicast.width, height: r.asciicast.height, term: r.asciicast.term }).toStrictEqual({
      version: 2,
      width: 103,
      height: 27,
      term: 'xterm-256color',
    });
    // Times: chunk 1's timing starts "=103x27+61>55+789>1": 55 chars at 0.061 s, one at 0.85 s.
    expect(r.asciicast.events.slice(0, 2)).toStrictEqual([
      [0.061, 'o', good[0]?.outText.slice(0, 55)],
      [0.85, 'o', good[0]?.outText.slice(55, 56)],
    ]);
    const times = r.asciicast.events.map((e) => e[0]);
    expect(times).toStrictEqual([...times].sort((a, b) => a - b));
  });

  it('journal-bad-timing: chunk 2 has timing "0" (tlog-play: invalid "timing"); its text is kept', () => {
    const chunks = chunksOf(run(journalInputs('journal-bad-timing.txt')).events);
    const r = reassembled(chunks);
    expect(r.issues).toStrictEqual([{ kind: 'bad-timing', id: 2, message: 'bad timing record at offset 0 of "0"' }]);
    expect(r.output).toBe(chunks.map((c) => c.outText).join(''));
  });

  it('journal-missing-entry: chunk 4 never arrived (tlog-play: ID is out of order)', () => {
    const chunks = chunksOf(run(journalInputs('journal-missing-entry.txt')).events);
    const r = reassembled(chunks);
    expect(r.issues).toStrictEqual([{ kind: 'gap', fromId: 4, toId: 4 }]);
    expect(chunks.map((c) => c.id)).toStrictEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('captured recordings: binary output bytes, typed input, a three-chunk recording', () => {
    const byRec = new Map<string, TtyChunk[]>();
    for (const c of chunksOf(run(inputsFromText(read('capture-tlog-12.1-syslog.log'))).events)) byRec.set(c.rec, [...(byRec.get(c.rec) ?? []), c]);
    const [bin, eof, multi] = [...byRec.values()].map(reassembled);
    expect(bin).toMatchObject({ output: 'hello\r\n\uFFFD\uFFFDbin\r\nbye\r\n', input: '', issues: [] });
    expect(bin?.asciicast.events).toStrictEqual([
      [0.001, 'o', 'hello\r\n\uFFFD\uFFFDbin\r\n'],
      [0.202, 'o', 'bye\r\n'],
    ]);
    expect(eof).toMatchObject({ output: '# \r\n', input: '\u0004', issues: [] });
    expect(multi?.issues).toStrictEqual([]);
    expect(multi?.input).toBe('echo hi\nseq 1 700\nexit\n');
    expect(multi?.output).toContain('\r\n699\r\n700\r\n# exit\r\n');
    expect(multi?.asciicast).toMatchObject({ width: 80, height: 24, term: 'xterm' });
  });

  it("follows tlog's documented example timing, window changes and binary input", () => {
    const chunk: TtyChunk = {
      rec: 'r',
      id: 23,
      pos: 345349,
      timing: '=80x24<5+1>6+3>30+6>20',
      inText: 'date\r',
      outText: 'date\r\nMon Nov 30 11:52:45 UTC 2015\r\n[johndoe@server ~]$ ',
      inBin: [],
      outBin: [],
    };
    const r = reassembled([chunk]);
    expect(r.asciicast.events).toStrictEqual([
      [345.349, 'i', 'date\r'],
      [345.35, 'o', 'date\r\n'],
      [345.353, 'o', 'Mon Nov 30 11:52:45 UTC 2015\r\n'],
      [345.359, 'o', '[johndoe@server ~]$ '],
    ]);
    expect(r.issues).toStrictEqual([{ kind: 'gap', fromId: 1, toId: 22 }]);
    const resized = reassembled([{ ...chunk, id: 1, pos: 0, timing: '=80x24>1 =100x30+5[1/1>1', inText: '\uFFFD', inBin: [0xc3], outText: 'aé' }]);
    expect(resized.asciicast).toMatchObject({ width: 80, height: 24 });
    expect(resized.asciicast.events).toStrictEqual([
      [0, 'o', 'a'],
      [0, 'r', '100x30'],
      [0.005, 'i', '\uFFFD'],
      [0.005, 'o', 'é'],
    ]);
    expect(resized.output).toBe('aé');
    expect(resized.issues).toStrictEqual([]);
  });

  it('counts characters as code points, as tlog does', () => {
    const r = reassembled([{ rec: 'r', id: 1, pos: 0, timing: '>1+1>1', inText: '', outText: '😀x', inBin: [], outBin: [] }]);
    expect(r.asciicast.events).toStrictEqual([
      [0, 'o', '😀'],
      [0.001, 'o', 'x'],
    ]);
  });

  it('reports duplicates and other recordings; no chunks is an error value', () => {
    const [c1, c2] = good;
    if (c1 === undefined || c2 === undefined) throw new Error('fixture');
    const r = reassembled([c2, c1, c1, { ...c2, outText: c2.outText + 'x' }, { ...c1, rec: 'other' }]);
    expect(r.issues).toStrictEqual([
      { kind: 'other-recording', rec: 'other', chunks: 1 },
      { kind: 'duplicate', id: 1, identical: true },
      { kind: 'duplicate', id: 2, identical: false },
    ]);
    expect(reassemble([])).toStrictEqual({ ok: false, error: 'no-chunks' });
  });

  it('property: any order of the chunks, with repeats, reassembles to the same recording', () => {
    const all = [good, chunksOf(run(journalInputs('journal-missing-entry.txt')).events)];
    for (const chunks of all) {
      const expected = reassembled(chunks);
      fc.assert(
        fc.property(fc.shuffledSubarray(chunks, { minLength: chunks.length, maxLength: chunks.length }), fc.array(fc.nat(chunks.length - 1), { maxLength: 5 }), (perm, repeats) => {
          expect(reassembled(perm)).toStrictEqual(expected);
          const withRepeats = [...perm, ...repeats.map((i) => chunks[i] as TtyChunk)];
          const r = reassembled(withRepeats);
          expect(r.output).toBe(expected.output);
          expect(r.asciicast).toStrictEqual(expected.asciicast);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('property: arbitrary timings and texts never throw and keep times non-decreasing', () => {
    const timing = fc.array(fc.oneof(fc.constantFrom('<', '>', '[', ']', '+', '=', 'x', '/', ' '), fc.nat(30).map(String)), { maxLength: 30 }).map((a) => a.join(''));
    const chunk = fc.record({
      rec: fc.constant('r'),
      id: fc.integer({ min: 1, max: 6 }),
      pos: fc.nat(10_000),
      timing,
      inText: fc.string(),
      outText: fc.string({ unit: 'grapheme' }),
      inBin: fc.array(fc.nat(255), { maxLength: 4 }),
      outBin: fc.array(fc.nat(255), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(chunk, { minLength: 1, maxLength: 6 }), (chunks) => {
        const r = reassembled(chunks);
        const times = r.asciicast.events.map((e) => e[0]);
        expect(times).toStrictEqual([...times].sort((a, b) => a - b));
      }),
    );
  });
});

describe('asciicast files', () => {
  const cast = (name: string): ReassembledRecording => {
    const r = parseAsciicast(read(`asciinema/${name}`));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };

  it('reads v1, v2 and v3 into the same recording', () => {
    const v1 = cast('full-v1.json');
    const v2 = cast('full-v2.cast');
    const v3 = cast('full-v3.cast');
    expect(v2).toStrictEqual({
      output: 'żółć\r\n',
      input: '\n',
      asciicast: {
        version: 2,
        width: 100,
        height: 50,
        timestamp: 1509091818,
        term: 'xterm-256color',
        events: [
          [0.000001, 'o', 'ż'],
          [1.0, 'o', 'ółć'],
          [2.3, 'i', '\n'],
          [5.600001, 'r', '80x40'],
          [10.5, 'o', '\r\n'],
        ],
      },
      issues: [],
    });
    expect(v3.output).toBe(v2.output);
    expect(v3.asciicast.events.map((e) => [Math.round(e[0] * 1e6) / 1e6, e[1], e[2]])).toStrictEqual([
      [0.000001, 'o', 'ż'],
      [1.000001, 'o', 'ółć'],
      [1.300001, 'i', '\n'],
      [2.900002, 'r', '80x40'],
      [13.400002, 'o', '\r\n'],
    ]);
    expect(v1).toMatchObject({ output: 'żółć\r\n', asciicast: { width: 100, height: 50, term: 'xterm-256color' } });
    expect(v1.asciicast.events.map((e) => e[0])).toStrictEqual([0.000001, 10.000001, 10.500001]);
  });

  it.each([
    ['demo.cast', 75, 18, 'xterm-256color'],
    ['demo.json', 80, 40, 'xterm-256color'],
    ['minimal-v1.json', 100, 50, undefined],
    ['minimal-v2.cast', 100, 50, undefined],
    ['minimal-v3.cast', 100, 50, undefined],
    ['nulls-v1.json', 100, 50, undefined],
    ['nulls-v2.cast', 100, 50, undefined],
  ])('%s reads', (name, width, height, term) => {
    const r = cast(name);
    expect(r.asciicast).toMatchObject({ width, height });
    expect(r.asciicast.term).toBe(term);
    if (name.startsWith('minimal') || name.startsWith('nulls')) expect(r.asciicast.events).toStrictEqual([[1.23, 'o', 'hello']]);
  });

  it('pinned event counts of the real demo sessions', () => {
    expect(cast('demo.cast').asciicast.events.length).toBe(read('asciinema/demo.cast').trim().split('\n').length - 1);
    expect(cast('demo.json').asciicast.events.length).toBe((JSON.parse(read('asciinema/demo.json')) as { stdout: unknown[] }).stdout.length);
  });

  it.each([
    ['empty', '', 'empty'],
    ['a cut-off header', '{"version":2,"width":100,', 'bad-header'],
    ['no size', '{"version":2}\n[1.0, "o", "x"]', 'bad-header'],
    ['version 4', '{"version":4,"width":1,"height":1}', 'unsupported-version'],
    ['a bad event line', '{"version":2,"width":100,"height":50}\n[1.0, "o", "x"]\n[oops]', 'bad-event'],
    ['a negative time', '{"version":2,"width":100,"height":50}\n[-1, "o", "x"]', 'bad-event'],
    ['a v1 stdout entry without text', '{"version":1,"width":1,"height":1,"stdout":[[1]]}', 'bad-event'],
    ['a JSON array', '[1,2]', 'bad-header'],
  ])('%s is an error value', (_name, text, kind) => {
    const r = parseAsciicast(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe(kind);
  });

  it('a reassembled tlog recording written as asciicast v2 reads back the same', () => {
    const r = reassembled(chunksOf(run(journalInputs('journal-good.txt')).events));
    const back = parseAsciicast(toAsciicastText({ ...r.asciicast, timestamp: 1543433166 }));
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.value.output).toBe(r.output);
      expect(back.value.asciicast).toStrictEqual({ ...r.asciicast, timestamp: 1543433166 });
    }
  });

  it('never throws on mangled files', () => {
    const seeds = ['full-v1.json', 'full-v2.cast', 'full-v3.cast', 'demo.cast'].map((n) => read(`asciinema/${n}`));
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string(), (s, a, b, ins) => {
        const i = a % (s.length + 1);
        const j = i + (b % (s.length - i + 1));
        const r = parseAsciicast(s.slice(0, i) + ins + s.slice(j));
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('tlog-rec contract', () => {
  const seeds = [...JOURNALS.flatMap((f) => journalInputs(f)), ...SYSLOG.flatMap((f) => inputsFromText(read(f)))]
    .filter((i) => i.envelope.msg.trim().startsWith('{'))
    .map((i) => i.envelope.msg.slice(0, 600));

  it('keeps the body-parser contract', () => {
    checkBodyParserContract(tlogRec, seeds);
  });

  it('reads and replays hostile 64 KiB messages in well under 50 ms', () => {
    const n = 64 * 1024;
    const msg = (timing: string, out: string): string =>
      JSON.stringify({ ver: '2.2', host: 'h', rec: 'r', user: 'u', term: 'xterm', session: 1, id: 1, pos: 0, timing, in_txt: '', in_bin: [], out_txt: out, out_bin: [] });
    const hostile = [
      msg('>1'.repeat(n / 4), 'x'.repeat(n / 2)),
      msg('+9'.repeat(n / 2), ''),
      msg('=1x1=2x2'.repeat(n / 8), ''),
      msg(']1/1'.repeat(n / 8), '\uFFFD'.repeat(n / 8)),
      msg('9'.repeat(n), ''),
      msg('>' + '9'.repeat(n), 'x'),
      '['.repeat(n),
    ];
    const p = tlogRec();
    // Timing is not asserted here (npm run fuzz measures it); a catastrophic replay would hit the test timeout.
    for (const h of hostile) {
      const o = p.parse({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'tlog', msg: h } });
      expect(o.kind).toMatch(/^(events|unparsed|not-mine)$/);
      if (o.kind === 'events' && o.events[0]?.recording !== undefined) expect(reassemble([o.events[0].recording]).ok).toBe(true);
    }
  });
});
