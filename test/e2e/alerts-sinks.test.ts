// Every alert sink against a real receiver on loopback: a webhook (JSON and Slack bodies), an SMTP server
// (smtp-server: one plain-text mail, no HTML part), syslog out to a node TCP server, a TLS one with a test
// CA, and a private rsyslogd that must parse the RFC 5424 fields, and GELF over UDP (plain, gzip, chunked)
// and TCP. Hits carry hostile text, which must arrive as data: JSON strings, never markup.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRouter } from '../../src/alerts/router.js';
import { quote } from '../../src/alerts/render.js';
import { FakeClock } from '../../src/clock.js';
import { prepareStore } from '../../src/store/index.js';
import { HitWriter, routerFor } from '../helpers/alerts.js';
import { startGelfTcp, startGelfUdp, startSmtp, startWebhook } from './helpers/alert-receivers.js';
import { startLineSink } from './helpers/line-sink.js';
import { makePki } from './helpers/pki.js';
import { describeWithTools } from './helpers/require-tool.js';
import { freePort, rsq, startRsyslog, type RsyslogProcess } from './helpers/rsyslog.js';

const T0 = 1_800_000_000_000;
const HOSTILE = '<script>alert(1)</script> `x` [click](http://evil.example) <!channel> @here\n\u001b[2J\u202etxt';

let dir: string;
let clock: FakeClock;
let hits: HitWriter;
const open: { close(): unknown }[] = [];
const routers: AlertRouter[] = [];
const later = <T extends { close(): unknown }>(x: T): T => (open.push(x), x);
const router = (sink: Record<string, unknown>): AlertRouter => {
  const r = routerFor(dir, [{ name: 'out', minLevel: 'high', sink }], clock, { publicUrl: 'https://cs.example.net' });
  routers.push(r);
  return r;
};

/** The Subject header, unfolded, its RFC 2047 Q-encoded words decoded. */
const subjectOf = (head: string): string => {
  const m = /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(head);
  const v = (m?.[1] ?? '').replace(/\r\n[ \t]/g, ' ');
  return v
    .replace(/\?= =\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-alert-sinks-'));
  await prepareStore(dir);
  clock = new FakeClock(T0);
  hits = new HitWriter(dir);
});

afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.stop()));
  hits.close();
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('webhook sink', () => {
  it('POSTs the alert as JSON, hostile text as a plain JSON string', async () => {
    const w = later(await startWebhook());
    const r = router({ type: 'webhook', url: w.url, format: 'json' });
    hits.write([{ command: HOSTILE, user: 'eve"<b>' }]);
    await r.tick();
    expect(w.requests).toHaveLength(1);
    const q = w.requests[0]!;
    expect(q.path).toBe('/hook');
    expect(q.headers['content-type']).toBe('application/json');
    expect(q.body).toEqual({
      id: 1,
      kind: 'alert',
      route: 'out',
      rule: 'history-tampering',
      title: 'Shell history tampering',
      level: 'high',
      why: expect.stringContaining('history') as unknown,
      host: 'vm',
      user: 'eve"<b>',
      session: 42,
      command: HOSTILE,
      seq: 1,
      time: '2026-11-29T20:28:41.000Z',
      count: 1,
      url: 'https://cs.example.net/sessions/42',
    });
    expect(r.health()[0]).toMatchObject({ route: 'out', sink: 'webhook', delivered: 1, pending: 0 });
  });

  it('format slack: { text, attachments }, log content only inside code spans, escaped', async () => {
    const w = later(await startWebhook());
    const r = router({ type: 'webhook', url: w.url, format: 'slack' });
    hits.write([{ command: HOSTILE, host: '<https://evil.example|web-1>' }]);
    await r.tick();
    const body = w.requests[0]!.body as { text: string; attachments: { fields: { title: string; value: string }[]; title_link: string; color: string }[] };
    expect(Object.keys(body).sort()).toEqual(['attachments', 'text']);
    expect(body.text).toBe('*[HIGH]* Shell history tampering on `"&lt;https://evil.example|web-1&gt;"`, session 42, user `"cs-alice"`');
    const a = body.attachments[0]!;
    expect(a.title_link).toBe('https://cs.example.net/sessions/42');
    const cmd = a.fields.find((f) => f.title === 'command')!.value;
    expect(cmd.startsWith('`"') && cmd.endsWith('"`')).toBe(true);
    expect(cmd.slice(1, -1)).not.toMatch(/[`<>\n\u001b\u202e]/);
    expect(JSON.stringify(body)).not.toContain('<script>');
    expect(JSON.stringify(body)).not.toContain('<!channel>');
  });
});

describe('email sink', () => {
  it('one plain-text mail over SMTP, no HTML part, hostile text quoted as JSON', async () => {
    const smtp = later(await startSmtp());
    const r = router({ type: 'email', host: '127.0.0.1', port: smtp.port, from: 'countersign@example.net', to: ['sec@example.net', 'ops@example.net'] });
    hits.write([{ command: HOSTILE, host: 'web-1\r\nBcc: victim@example.net' }]);
    await r.tick();
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.from).toBe('countersign@example.net');
    expect(m.to).toEqual(['sec@example.net', 'ops@example.net']);
    const [head, ...rest] = m.raw.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8$/im);
    expect(m.raw).not.toMatch(/text\/html/i);
    expect(head).not.toMatch(/^Bcc:/im);
    expect(subjectOf(head!)).toBe('Countersign [HIGH] Shell history tampering on "web-1\\r\\nBcc: victim@example.net", session 42, user "cs-alice"');
    expect(head).toMatch(/^X-Countersign-Alert-Id: 1$/im);
    expect(head).toMatch(/^Date: Fri, 15 Jan 2027 08:00:00 \+0000$/m);
    // The body is quoted-printable or 7bit; undo soft line breaks and =XX before looking.
    const text = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    expect(Buffer.from(text, 'latin1').toString('utf8')).toContain(`command:  ${quote(HOSTILE)}`);
    expect(text).toContain('link:     https://cs.example.net/sessions/42');
    expect(r.health()[0]).toMatchObject({ sink: 'email', delivered: 1 });
  });

  it('an SMTP server that is not there: pending with the error, delivered once it is', async () => {
    const port = await freePort();
    const r = router({ type: 'email', host: '127.0.0.1', port, from: 'countersign@example.net', to: ['sec@example.net'] });
    hits.write([{}]);
    await r.tick();
    expect(r.health()[0]).toMatchObject({ delivered: 0, pending: 1 });
    expect(r.health()[0]!.lastError).toMatch(/ECONNREFUSED/);
    await r.stop();
    const smtp = later(await startSmtp());
    const r2 = router({ type: 'email', host: '127.0.0.1', port: smtp.port, from: 'countersign@example.net', to: ['sec@example.net'] });
    clock.advance(1000);
    await r2.tick();
    expect(smtp.messages).toHaveLength(1);
    expect(r2.health()[0]).toMatchObject({ delivered: 1, pending: 0 });
  });
});

const sdOf = (msg: string): string => /\[countersign@32473 [^\]]*(?:\\\][^\]]*)*\]/.exec(msg)?.[0] ?? '';

describe('syslog sink', () => {
  it('RFC 5424 over TCP, octet-counted, one connection for several alerts', async () => {
    const sink = later(await startLineSink({ protocol: 'tcp', framing: 'octet' }));
    const r = router({ type: 'syslog', host: '127.0.0.1', port: sink.port, transport: 'tcp' });
    hits.write([{ session: 1, command: HOSTILE }, { session: 2, level: 'critical' }]);
    await r.tick();
    await sink.waitFor(2);
    expect(sink.connections).toBe(1);
    const [m1, m2] = sink.messages as [string, string];
    expect(m1).toMatch(/^<107>1 2027-01-15T08:00:00\.000Z \S+ countersign \d+ alert \[countersign@32473 id="1" kind="alert" route="out" rule="history-tampering" level="high" session="1" host="vm" count="1" seq="1"\] \ufeff\{/);
    expect(JSON.parse(m1.slice(m1.indexOf('\ufeff') + 1)).command).toBe(HOSTILE);
    expect(m1.split('\ufeff')[0]).not.toMatch(/\n/);
    expect(m2.startsWith('<106>1 ')).toBe(true);
    expect(sdOf(m2)).toContain('level="critical" session="2"');
    expect(r.health()[0]).toMatchObject({ sink: 'syslog', delivered: 2 });
  });

  it('a collector that is down: pending with the error; once it listens, a new connection delivers it', async () => {
    const port = await freePort();
    const r = router({ type: 'syslog', host: '127.0.0.1', port, transport: 'tcp' });
    hits.write([{ session: 1 }]);
    await r.tick();
    expect(r.health()[0]).toMatchObject({ delivered: 0, pending: 1 });
    expect(r.health()[0]!.lastError).toMatch(/^syslog tcp 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    const frames: string[] = [];
    const server = createServer((s) => s.on('data', (d: Buffer) => frames.push(d.toString('utf8'))));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    later({ close: () => new Promise<void>((res) => server.close(() => res())) });
    clock.advance(1000);
    await r.tick();
    expect(r.health()[0]).toMatchObject({ delivered: 1, pending: 0 });
    await r.stop(); // closes the connection: all it sent has arrived
    const deadline = Date.now() + 20_000;
    while (!frames.join('').includes('session="1"') && Date.now() < deadline) await sleep(20);
    expect(frames.join('')).toMatch(/^\d+ <107>1 .*session="1"/);
  });
});

describeWithTools(['openssl'], 'syslog sink over TLS', () => {
  it('RFC 5425: TLS checked against the configured CA', async () => {
    const pki = await makePki(join(dir, 'pki'));
    const sink = later(await startLineSink({ protocol: 'tls', framing: 'octet', tls: { cert: pki.serverCert, key: pki.serverKey } }));
    const r = router({ type: 'syslog', host: '127.0.0.1', port: sink.port, transport: 'tls', caFile: pki.caCert });
    hits.write([{}]);
    await r.tick();
    await sink.waitFor(1);
    expect(sink.messages[0]).toMatch(/^<107>1 .* countersign \d+ alert \[countersign@32473 id="1" /);

    // Without the CA the server certificate is refused: not delivered, the reason visible.
    const sink2 = later(await startLineSink({ protocol: 'tls', framing: 'octet', tls: { cert: pki.serverCert, key: pki.serverKey } }));
    const r2 = routerFor(dir, [{ name: 'untrusted', minLevel: 'high', sink: { type: 'syslog', host: '127.0.0.1', port: sink2.port, transport: 'tls' } }], clock);
    routers.push(r2);
    hits.write([{}]);
    await r2.tick();
    expect(sink2.messages).toHaveLength(0);
    expect(r2.health()[0]).toMatchObject({ delivered: 0, pending: 1 });
    expect(r2.health()[0]!.lastError).toMatch(/certificate/i);
  });
});

describeWithTools(['rsyslogd'], 'syslog sink into a real rsyslog (imtcp)', () => {
  let rs: RsyslogProcess | null = null;
  afterEach(async () => {
    await rs?.stop();
    rs = null;
  });

  it('rsyslog parses the RFC 5424 header, the structured data and the message', async () => {
    const port = await freePort();
    const out = join(dir, 'rsyslog-out.txt');
    rs = await startRsyslog({
      dir: join(dir, 'rsyslog'),
      config: `
global(net.enableDNS="off")
module(load="imtcp")
module(load="mmpstrucdata")
template(name="cs_fields" type="list") {
  property(name="syslogfacility") constant(value="|") property(name="syslogseverity") constant(value="|")
  property(name="hostname") constant(value="|") property(name="app-name") constant(value="|")
  property(name="procid") constant(value="|") property(name="msgid") constant(value="|")
  property(name="$!rfc5424-sd!countersign@32473!rule") constant(value="|")
  property(name="$!rfc5424-sd!countersign@32473!level") constant(value="|")
  property(name="$!rfc5424-sd!countersign@32473!session") constant(value="|")
  property(name="$!rfc5424-sd!countersign@32473!host") constant(value="|")
  property(name="msg") constant(value="\\n")
}
ruleset(name="cs_alerts") {
  action(type="mmpstrucdata")
  action(type="omfile" file=${rsq(out)} template="cs_fields" flushOnTXEnd="on" asyncWriting="off")
}
input(type="imtcp" port=${rsq(port)} address="127.0.0.1" ruleset="cs_alerts")
`,
    });
    const r = router({ type: 'syslog', host: '127.0.0.1', port, transport: 'tcp', facility: 10 });
    hits.write([{ command: 'echo "a]b" \\ done', host: 'web "1"]' }]);
    await r.tick();
    const deadline = Date.now() + 20_000;
    while (!(existsSync(out) && readFileSync(out, 'utf8').includes('\n'))) {
      if (Date.now() > deadline) throw new Error(`rsyslog wrote nothing\n${rs.diagnostics()}`);
      await sleep(50);
    }
    const line = readFileSync(out, 'utf8').split('\n')[0]!;
    const [facility, severity, hostname, app, procid, msgid, rule, level, session, host, ...msg] = line.split('|');
    expect({ facility, severity, app, msgid, rule, level, session, host }).toEqual({
      facility: '10',
      severity: '3',
      app: 'countersign',
      msgid: 'alert',
      rule: 'history-tampering',
      level: 'high',
      session: '42',
      host: 'web "1"]',
    });
    expect(hostname).not.toBe('');
    expect(procid).toBe(String(process.pid));
    const json = JSON.parse(msg.join('|').replace(/^\s*\ufeff?/, '')) as Record<string, unknown>;
    expect(json).toMatchObject({ rule: 'history-tampering', command: 'echo "a]b" \\ done', host: 'web "1"]', session: 42 });
  });
});

describe('GELF sink', () => {
  it('UDP: a GELF 1.1 message with our fields', async () => {
    const g = later(await startGelfUdp());
    const r = router({ type: 'gelf', host: '127.0.0.1', port: g.port });
    hits.write([{ command: HOSTILE }]);
    await r.tick();
    await g.waitFor(1);
    expect(g.messages[0]).toMatchObject({
      version: '1.1',
      host: 'vm',
      level: 3,
      timestamp: 1_795_984_121,
      _rule: 'history-tampering',
      _rule_level: 'high',
      _session: 42,
      _user: 'cs-alice',
      _command: HOSTILE,
      _count: 1,
      _url: 'https://cs.example.net/sessions/42',
      _alert_kind: 'alert',
    });
    expect(String(g.messages[0]!.short_message)).toBe('[HIGH] Shell history tampering on "vm", session 42, user "cs-alice"');
    expect(g.datagrams).toHaveLength(1);
  });

  it('UDP: a message over 8192 bytes arrives in chunks, gzip or not, and is whole again', async () => {
    const g = later(await startGelfUdp());
    const big = `x${'0123456789abcdef'.repeat(1500)}y`; // 24 KB of command
    const r = router({ type: 'gelf', host: '127.0.0.1', port: g.port });
    hits.write([{ command: big }]);
    await r.tick();
    await g.waitFor(1);
    expect(g.messages[0]!._command).toBe(big);
    expect(g.datagrams.length).toBeGreaterThan(3);
    expect(Math.max(...g.datagrams)).toBeLessThanOrEqual(8192);
    await r.stop();

    const gz = later(await startGelfUdp());
    const r2 = routerFor(dir, [{ name: 'gz', minLevel: 'high', sink: { type: 'gelf', host: '127.0.0.1', port: gz.port, compress: true } }], clock);
    routers.push(r2);
    const noise = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 65_521).toString(36)).join('');
    hits.write([{ command: noise }]);
    await r2.tick();
    await gz.waitFor(1);
    expect(gz.messages[0]!._command).toBe(noise);
  });

  it('TCP: NUL-delimited JSON', async () => {
    const g = later(await startGelfTcp());
    const r = router({ type: 'gelf', host: '127.0.0.1', port: g.port, transport: 'tcp' });
    hits.write([{ session: 1, command: 'a\u0000b' }, { session: 2 }]);
    await r.tick();
    await g.waitFor(2);
    expect(g.messages.map((m) => [m._session, m._command])).toEqual([[1, 'a\u0000b'], [2, 'bash -c history -c']]);
  });
});
