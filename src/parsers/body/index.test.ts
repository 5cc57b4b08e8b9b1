import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { BODY_PARSERS, BodyParsers } from './index.js';

describe('body-parser registry', () => {
  it('registers every parser folder exactly once', () => {
    const here = new URL('.', import.meta.url);
    const folders = readdirSync(here).filter((f) => statSync(new URL(f, here)).isDirectory());
    const ids = new BodyParsers().parsers.map((p) => p.id);
    expect([...ids].sort()).toEqual([...folders].sort());
    expect(new Set(ids).size).toBe(BODY_PARSERS.length);
  });
});
