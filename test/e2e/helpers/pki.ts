// Throw-away test PKI made with the openssl CLI: a P-256 CA, server cert (localhost/127.0.0.1),
// client cert (CN router1.example.net) and a client cert from a second, rogue CA.
// For loopback tests only: keys are unencrypted files in the given dir; never write outside it.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  rogueCaCert: string;
  rogueCaKey: string;
  rogueClientCert: string;
  rogueClientKey: string;
  /** Subject of both client certs, as OpenSSL prints it (`openssl x509 -subject -nameopt RFC2253`). */
  clientSubject: string;
  /** The CN alone, which is also the client certs' only DNS SAN. */
  clientCommonName: string;
  /** Names the server cert is valid for. */
  serverNames: readonly string[];
}

export const CLIENT_CN = 'router1.example.net';

const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:${CLIENT_CN}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 20_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

function serial(): string {
  return `0x${Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}1`;
}

async function makeCa(cnf: string, base: string, cn: string): Promise<{ cert: string; key: string }> {
  const cert = `${base}.crt`;
  const key = `${base}.key`;
  await openssl([
    'req', '-x509', '-new', '-config', cnf, '-extensions', 'v3_ca',
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/CN=${cn}`, '-set_serial', serial(),
  ]);
  return { cert, key };
}

async function makeLeaf(
  cnf: string, base: string, subject: string, ext: 'v3_server' | 'v3_client', ca: { cert: string; key: string },
): Promise<{ cert: string; key: string }> {
  const cert = `${base}.crt`;
  const key = `${base}.key`;
  const csr = `${base}.csr`;
  await openssl([
    'req', '-new', '-config', cnf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', csr, '-subj', subject,
  ]);
  await openssl([
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial(),
    '-days', '825', '-sha256', '-extfile', cnf, '-extensions', ext, '-out', cert,
  ]);
  return { cert, key };
}

/** Creates the PKI in `dir` (created if missing) and returns the file paths. */
export async function makePki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const cnf = join(dir, 'openssl.cnf');
  await writeFile(cnf, OPENSSL_CNF);
  const [ca, rogueCa] = await Promise.all([
    makeCa(cnf, join(dir, 'ca'), 'Countersign Test CA'),
    makeCa(cnf, join(dir, 'rogue-ca'), 'Rogue Test CA'),
  ]);
  const [server, client, rogueClient] = await Promise.all([
    makeLeaf(cnf, join(dir, 'server'), '/CN=localhost', 'v3_server', ca),
    makeLeaf(cnf, join(dir, 'client'), `/CN=${CLIENT_CN}`, 'v3_client', ca),
    makeLeaf(cnf, join(dir, 'rogue-client'), `/CN=${CLIENT_CN}`, 'v3_client', rogueCa),
  ]);
  return {
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    rogueCaCert: rogueCa.cert,
    rogueCaKey: rogueCa.key,
    rogueClientCert: rogueClient.cert,
    rogueClientKey: rogueClient.key,
    clientSubject: `CN=${CLIENT_CN}`,
    clientCommonName: CLIENT_CN,
    serverNames: ['localhost', '127.0.0.1', '::1'],
  };
}
