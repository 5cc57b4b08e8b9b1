// A client certificate whose subjectAltName list is far over 32 KB, signed by a test CA (librelp
// CVE-2018-1000140: a stack overflow while checking peer names; its fix added such a certificate to
// the testbench). Made with the openssl CLI in the given directory; loopback tests only.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface HugeSanCert {
  readonly cert: string;
  readonly key: string;
  /** Bytes of the subjectAltName value as written in the openssl config. */
  readonly sanBytes: number;
  readonly names: number;
}

export async function makeHugeSanClientCert(dir: string, ca: { cert: string; key: string }, minSanBytes = 40_000): Promise<HugeSanCert> {
  const names: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < minSanBytes; i++) {
    const n = `DNS:host-${String(i).padStart(5, '0')}.san-flood.example.net`;
    names.push(n);
    bytes += n.length + 1;
  }
  const ext = join(dir, 'huge-san.ext');
  await writeFile(ext, `basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\nsubjectAltName = ${names.join(',')}\n`);
  const key = join(dir, 'huge-san.key');
  const csr = join(dir, 'huge-san.csr');
  const cert = join(dir, 'huge-san.crt');
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=san-flood.example.net'], { timeout: 20_000 });
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', '0x5a4e', '-days', '30', '-sha256', '-extfile', ext, '-out', cert], { timeout: 20_000 });
  return { cert, key, sanBytes: bytes, names: names.length };
}
