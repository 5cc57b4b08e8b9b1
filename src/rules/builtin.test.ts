// The shipped rule pack: every file in builtin/ compiles, has must-match and must-not-match examples
// that pass, and every example with a `# from:` comment is exactly what our parsers make of that line
// (so the examples stay real-format as the parsers change).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/event.js';
import { BodyParsers } from '../parsers/body/index.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { compileRule, type CompiledRule } from './compile.js';
import { runExamples } from './examples.js';
import { BUILTIN_RULES_DIR } from './load.js';

const files = readdirSync(BUILTIN_RULES_DIR).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();

const compiled = (file: string): CompiledRule => {
  const r = compileRule(readFileSync(join(BUILTIN_RULES_DIR, file), 'utf8'), file);
  if (!r.ok) throw new Error(`${r.error.file}:${r.error.line}: ${r.error.reason}`);
  return r.value;
};

/** The `from:` lines above each example of examples.match / examples.nomatch. */
const fromLines = (text: string): { which: 'match' | 'nomatch'; index: number; lines: string[] }[] => {
  const doc = parseDocument(text);
  const out: { which: 'match' | 'nomatch'; index: number; lines: string[] }[] = [];
  for (const which of ['match', 'nomatch'] as const) {
    const seq = doc.getIn(['examples', which], true) as Node | undefined;
    if (!isSeq(seq)) continue;
    seq.items.forEach((item, index) => {
      // The comment before a list's first item belongs to the list in the yaml library's tree.
      const comment = (isMap(item) ? item.commentBefore : undefined) ?? (index === 0 ? seq.commentBefore : undefined) ?? '';
      const lines = comment
        .split('\n')
        .map((l) => l.trimStart())
        .filter((l) => l.startsWith('from: '))
        .map((l) => l.slice(6));
      out.push({ which, index, lines });
    });
  }
  return out;
};

/** Envelope and body parsers over the lines, as the derive stage runs them; the events they make. */
const parseLines = (lines: readonly string[], receivedAt: number, host: string): Event[] => {
  const parsers = new BodyParsers();
  const events: Event[] = [];
  lines.forEach((line, i) => {
    const env = parseEnvelope(Buffer.from(line), { receivedAt, timezone: 'UTC' });
    if (!env.ok) throw new Error(`no envelope (${env.error.type}): ${line}`);
    const d = parsers.parse({ seq: i + 1, time: env.value.time ?? receivedAt, host: env.value.hostname ?? host, envelope: env.value });
    if (d.outcome.kind === 'events') events.push(...d.outcome.events);
  });
  events.push(...parsers.flush(Number.MAX_SAFE_INTEGER, true));
  return events;
};

const withoutSeq = (e: Event): Omit<Event, 'seq' | 'seqs'> => {
  const { seq: _seq, seqs: _seqs, ...rest } = e;
  return rest;
};

describe('the built-in rule pack', () => {
  it('has the rules issue 7 asks for', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s compiles, is named after its id, and explains itself to reviewers', (file) => {
    const rule = compiled(file);
    expect(`${rule.id}.yaml`).toBe(file);
    expect(rule.why.length).toBeGreaterThan(60);
    expect(rule.examples.match.length, 'match examples').toBeGreaterThan(0);
    expect(rule.examples.nomatch.length, 'nomatch examples').toBeGreaterThan(0);
  });

  it.each(files)('%s passes its own examples', (file) => {
    expect(runExamples(compiled(file))).toEqual([]);
  });

  it.each(files)("%s: each example is what the parsers make of its 'from:' line", (file) => {
    const rule = compiled(file);
    const sources = fromLines(readFileSync(join(BUILTIN_RULES_DIR, file), 'utf8'));
    expect(sources.length).toBe(rule.examples.match.length + rule.examples.nomatch.length);
    for (const src of sources) {
      const example = rule.examples[src.which][src.index]!.event;
      expect(src.lines.length, `${src.which}[${src.index}] has a from: line`).toBeGreaterThan(0);
      // RFC 3164 years are inferred around the receive time: receive it when the example says it happened.
      const made = parseLines(src.lines, example.time, example.host);
      expect(made.map(withoutSeq), `${src.which}[${src.index}]`).toContainEqual(withoutSeq(example));
    }
  });

  it('ids are unique', () => {
    const ids = files.map((f) => compiled(f).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
