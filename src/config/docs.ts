// Renders docs/configuration.md from the schema, so the documented options and defaults cannot drift
// from what the loader accepts (a test compares the file with this output).
import { z } from 'zod';
import { stringify } from 'yaml';
import { configSchema } from './schema.js';
import { parseConfig } from './load.js';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

const typeOf = (s: JsonSchema): string => {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  const t = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  const range = s.minimum !== undefined && s.maximum !== undefined && s.maximum < 1e15 ? ` (${s.minimum}–${s.maximum})` : s.minimum !== undefined ? ` (≥ ${s.minimum})` : '';
  return t + range;
};

const rows = (s: JsonSchema, path: string, out: string[]): void => {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const p = path ? `${path}.${k}` : k;
    if (v.type === 'object' && v.properties) {
      if (v.description) out.push(`| \`${p}\` | object | | ${v.description} |`);
      rows(v, p, out);
    } else out.push(`| \`${p}\` | ${typeOf(v)} | \`${JSON.stringify(v.default)}\` | ${(v.description ?? '').replace(/\|/g, '\\|')} |`);
  }
};

export const configurationMarkdown = (): string => {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: string[] = [];
  rows(schema, '', out);
  return [
    '# Configuration',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs`; a test fails when this file is stale. -->',
    '',
    '`countersign serve --config FILE` reads one YAML file. Every option is optional: with no file the',
    'defaults below give the embedded setup (SQLite in `./data/`, syslog on 5514/udp and 5514/tcp, TLS',
    'syslog on 6514, web and API on 127.0.0.1:8080). `--data DIR` overrides `dataDir`.',
    '',
    'A bad file stops start-up with the file, the option and what is wrong, e.g.',
    '`countersign: cs.yaml: sources.tcp.port: Too big: expected number to be <=65535`; unknown keys',
    'are refused too, so a typo never silently falls back to a default.',
    '',
    '| option | type | default | meaning |',
    '|---|---|---|---|',
    ...out,
    '',
    '## The defaults as a file',
    '',
    '```yaml',
    stringify(parseConfig({})).trimEnd(),
    '```',
    '',
  ].join('\n');
};
