import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from './load.js';
import { configurationMarkdown } from './docs.js';

const file = (text: string): string => {
  const f = join(mkdtempSync(join(tmpdir(), 'cs-config-')), 'cs.yaml');
  writeFileSync(f, text);
  return f;
};

describe('configuration', () => {
  it('has the embedded defaults of the README', () => {
    const c = parseConfig({});
    expect(c.dataDir).toBe('./data');
    expect(c.sources.udp).toMatchObject({ enabled: true, port: 5514 });
    expect(c.sources.tcp).toMatchObject({ enabled: true, port: 5514, maxFrameBytes: 65536 });
    expect(c.sources.tls).toMatchObject({ enabled: true, port: 6514, certFile: null, caFile: null, requireClientCert: false });
    expect(c.web).toEqual({ host: '127.0.0.1', port: 8080, tls: false });
    expect(c.parsing.timezone).toBe('UTC');
  });

  it('merges a partial file with the defaults', () => {
    const c = loadConfig(file('sources:\n  tcp:\n    port: 1514\nparsing:\n  timezone: Europe/London\n'));
    expect(c.sources.tcp.port).toBe(1514);
    expect(c.sources.tcp.enabled).toBe(true);
    expect(c.sources.udp.port).toBe(5514);
    expect(c.parsing.timezone).toBe('Europe/London');
  });

  it('names the file, the option and the problem', () => {
    const f = file('sources:\n  tcp:\n    port: 70000\n');
    expect(() => loadConfig(f)).toThrow(`${f}: sources.tcp.port:`);
    expect(() => loadConfig(file('web:\n  prot: 1\n'))).toThrow(/web: Unrecognized key.*prot/);
    expect(() => loadConfig(file('parsing:\n  timezone: Mars/Olympus\n'))).toThrow(/parsing.timezone: not an IANA time zone/);
    expect(() => loadConfig(file('sources:\n  tls:\n    requireClientCert: true\n'))).toThrow(/sources.tls.requireClientCert: requireClientCert needs caFile/);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => loadConfig(file('web:\n  port: [1,\n'))).toThrow(/line \d+, column \d+/);
  });

  it('reports an unreadable file', () => {
    expect(() => loadConfig('/nonexistent/cs.yaml')).toThrow(/\/nonexistent\/cs.yaml: cannot read the configuration/);
  });

  it('--data overrides dataDir', () => {
    expect(loadConfig(undefined, { dataDir: '/tmp/x' }).dataDir).toBe('/tmp/x');
  });

  it('docs/configuration.md is generated from the schema (run `npm run docs` when this fails)', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(configurationMarkdown());
    expect(doc).toContain('`sources.tls.caFile`');
  });
});
