import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BodyInput } from '../types.js';
import { checkBodyParserContract, inputFromLine, runParser, expectGolden } from '../testing.js';
import { systemdLogind } from './systemd-logind.js';

const dir = new URL('./testdata/', import.meta.url);
const journal = (): BodyInput[] =>
  readFileSync(new URL('tlog-journal-good.json', dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => inputFromLine(l, i + 1, { format: 'journald' }));

/** A record as systemd-logind would send it, for message texts the corpus lacks (see PROVENANCE.md). */
const logind = (msg: string): BodyInput => ({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'systemd-logind', procid: '731', msg } });

describe('systemd-logind', () => {
  it('reads session start and end with the logind session id (real journal entries)', () => {
    const events = runParser(systemdLogind(), journal()).events;
    expect(events.map(({ seq: _s, time: _t, ...e }) => e)).toStrictEqual([
      { host: 'mytesthost.example.test', kind: 'login', action: 'logind-new-session', user: 'localuser1', hints: { logindSession: '5' }, parser: 'systemd-logind@1' },
      { host: 'mytesthost.example.test', kind: 'logout', action: 'logind-logged-out', hints: { logindSession: '5' }, parser: 'systemd-logind@1' },
      { host: 'mytesthost.example.test', kind: 'logout', action: 'logind-removed', hints: { logindSession: '5' }, parser: 'systemd-logind@1' },
    ]);
  });

  it('matches the golden events of the tlog journal', () => {
    const { events } = runParser(systemdLogind(), journal());
    const golden = new URL('tlog-journal-good.events.json', dir);
    expectGolden(golden, events);
  });

  it('keeps seat and button messages as zero events; unknown and malformed ones are unparsed', () => {
    // Texts of systemd's own format strings ("New seat %s.", "Watching system buttons on %s (%s)").
    for (const msg of ['New seat seat0.', 'Watching system buttons on /dev/input/event0 (Power Button)', 'Power key pressed.']) {
      expect(systemdLogind().parse(logind(msg)), msg).toStrictEqual({ kind: 'events', events: [] });
    }
    expect(systemdLogind().parse(logind('Something logind never says'))).toMatchObject({ kind: 'unparsed', reason: 'unknown-message' });
    expect(systemdLogind().parse(logind('New session of user .'))).toMatchObject({ kind: 'unparsed', reason: 'malformed' });
    expect(systemdLogind().parse({ ...logind('New session 5 of user a.'), envelope: { format: 'rfc3164', app: 'sshd', msg: 'New session 5 of user a.' } })).toStrictEqual({ kind: 'not-mine' });
  });

  it('keeps the body-parser contract', () => {
    const seeds = journal()
      .filter((i) => i.envelope.app === 'systemd-logind')
      .map((i) => i.envelope.msg);
    checkBodyParserContract(systemdLogind, seeds);
  });

  it('pins the outcome counts of the tlog journal', () => {
    const c = { events: 0, eventCount: 0, noise: 0, unparsed: 0, notMine: 0 };
    for (const input of journal()) {
      const o = systemdLogind().parse(input);
      if (o.kind === 'events') {
        c.events++;
        c.eventCount += o.events.length;
        if (o.events.length === 0) c.noise++;
      } else if (o.kind === 'unparsed') c.unparsed++;
      else if (o.kind === 'not-mine') c.notMine++;
    }
    expect(c).toStrictEqual({ events: 3, eventCount: 3, noise: 0, unparsed: 0, notMine: 48 });
  });
});
