// The TLS listener's own certificate: the configured one, or a self-signed one made once in the
// data directory (so a newcomer gets TLS without a PKI) whose fingerprint operators pin in senders.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { generate } from 'selfsigned';

export interface ServerTlsIdentity {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly fingerprint256: string;
  readonly generated: boolean;
}

export const loadOrCreateTlsIdentity = async (
  dataDir: string,
  certFile: string | null,
  keyFile: string | null,
  now: number,
): Promise<ServerTlsIdentity> => {
  let generated = false;
  if (certFile === null || keyFile === null) {
    const dir = join(dataDir, 'tls');
    certFile = join(dir, 'server.crt');
    keyFile = join(dir, 'server.key');
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = hostname();
      const pems = await generate([{ name: 'commonName', value: name }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        notBeforeDate: new Date(now - 60_000),
        notAfterDate: new Date(now + 825 * 24 * 3600_000),
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [{ type: 2, value: name }, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
        ],
      });
      writeFileSync(keyFile, pems.private, { mode: 0o600 });
      writeFileSync(certFile, pems.cert, { mode: 0o644 });
      generated = true;
    }
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  return { cert, key, certFile, fingerprint256: new X509Certificate(cert).fingerprint256, generated };
};
