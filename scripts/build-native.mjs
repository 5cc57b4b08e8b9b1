// Builds native/sha256-batch.c into dist/native/sha256-batch.node with the system C compiler against
// the running Node's own headers (Node-API and the OpenSSL inside node). Run by `npm run build`.
// No download, no node-gyp. When it cannot build (no compiler, no headers) it says why and exits 0:
// Countersign then hashes through node:crypto, correct but slower (src/native/sha256-batch.ts).
// In CI (CI=true) a failed build fails, so the tests always run the native path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'native', 'sha256-batch.c');
const out = join(root, 'dist', 'native', 'sha256-batch.node');

const includeDirs = [process.env.COUNTERSIGN_NODE_INCLUDE, join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].filter(
  (d) => d !== undefined && d !== '',
);
const include = includeDirs.find((d) => existsSync(join(d, 'node_api.h')) && existsSync(join(d, 'openssl', 'sha.h')));

const fail = (why) => {
  const msg = `native SHA-256 helper not built: ${why}. Countersign will hash through node:crypto (correct, slower ingest).`;
  if (process.env.CI === 'true') {
    process.stderr.write(`${msg}\nCI=true: failing, so that the tests run the native path.\n`);
    process.exit(1);
  }
  process.stderr.write(`${msg}\n`);
  process.exit(0);
};

if (include === undefined) fail(`no Node headers with node_api.h and openssl/sha.h in ${includeDirs.join(', ')}`);
if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs && statSync(out).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs) {
  process.stdout.write(`native SHA-256 helper up to date: ${out}\n`);
  process.exit(0);
}
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC || 'cc';
const args = ['-O2', '-fPIC', '-shared', '-fvisibility=hidden', '-Wall', '-Wextra', '-Wno-unused-parameter', '-std=c11', `-I${include}`, '-o', out, src];
try {
  execFileSync(cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (e) {
  fail(`${cc} ${args.join(' ')} failed (${e.code === 'ENOENT' ? `${cc} not found` : e.message})`);
}
process.stdout.write(`built native SHA-256 helper: ${out}\n`);
