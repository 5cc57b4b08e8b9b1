// web.tls: the web UI and API over HTTPS with the TLS listener's (here self-signed) certificate. The
// sign-in cookie is then Secure (besides HttpOnly and SameSite=Strict) and replies carry HSTS; plain
// HTTP on the same port is not served.
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, testConfig, type RunningServer } from './helpers/countersign.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPS to 127.0.0.1 with the server's self-signed certificate pinned by trusting it as the CA. */
const https = (port: number, ca: string, path: string, o: { method?: string; body?: string } = {}): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', ca, servername: 'localhost', headers: o.body !== undefined ? { 'content-type': 'application/json' } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });

describe('web.tls: HTTPS, Secure cookies, HSTS', () => {
  let s: RunningServer;
  let ca = '';

  beforeAll(async () => {
    s = await startServer({ config: testConfig({ web: { host: '127.0.0.1', port: 0, tls: true } }) });
    const { readFileSync } = await import('node:fs');
    ca = readFileSync(`${s.dataDir}/tls/server.crt`, 'utf8');
    const add = runCli(['user', 'add', 'vera', '--role', 'viewer', '--password-stdin', '--data', s.dataDir], 'a password long enough for vera\n');
    expect(add.status, add.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('says it listens on https, and signs in with a Secure, HttpOnly, SameSite=Strict cookie and HSTS', async () => {
    const listening = s.logs.find((l) => l.msg === 'listening' && l.source === 'web');
    expect(String(listening?.url)).toMatch(/^https:\/\//);
    const r = await https(s.ports.web, ca, '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ name: 'vera', password: 'a password long enough for vera' }) });
    expect(r.status, r.body).toBe(200);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/cs_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(String(r.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
    const page = await https(s.ports.web, ca, '/login');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self'/);
  });

  it('does not answer plain HTTP on the same port', async () => {
    const got = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: s.ports.web, path: '/healthz' }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${(e as Error).message}`));
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(got).not.toBe('status 200');
  });
});
