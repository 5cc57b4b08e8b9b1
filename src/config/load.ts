// Loads the YAML configuration, applies defaults and validates it. A bad file stops start-up with
// the file, the option's path and what is wrong; it never starts half-configured.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { CS_ERR } from '../errors.js';
import { configSchema, type Config } from './schema.js';

export const parseConfig = (input: unknown, file = '(built-in defaults)'): Config => {
  const r = configSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
    throw CS_ERR.configInvalid(file, issue.path.join('.'), `${issue.message}${keys}`);
  }
  return r.data;
};

export const loadConfig = (file: string | undefined, overrides: { dataDir?: string } = {}): Config => {
  let raw: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw CS_ERR.configUnreadable(file, e);
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
      throw CS_ERR.configInvalid(file, where, e.message.split('\n')[0] ?? 'YAML syntax error');
    }
    raw = doc.toJS() ?? {};
  }
  const config = parseConfig(raw, file);
  return overrides.dataDir !== undefined ? { ...config, dataDir: overrides.dataDir } : config;
};
