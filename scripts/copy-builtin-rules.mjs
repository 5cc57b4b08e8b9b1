// Copies the built-in rule pack (src/rules/builtin/*.yaml) to dist/src/rules/builtin/, where the compiled
// rules/load.ts looks for it at run time: tsc copies only TypeScript. Run by `npm run build` after tsc.
// Plain Node, no shell: the same on every platform. A rule removed from src/ is removed from dist/ too.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'rules', 'builtin');
const to = join(root, 'dist', 'src', 'rules', 'builtin');
const isRule = (name) => /\.ya?ml$/.test(name);

mkdirSync(to, { recursive: true });
for (const name of readdirSync(to).filter(isRule)) rmSync(join(to, name));
const names = readdirSync(from).filter(isRule).sort();
for (const name of names) copyFileSync(join(from, name), join(to, name));
process.stdout.write(`copied ${names.length} built-in rules to ${to}\n`);
