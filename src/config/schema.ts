// The configuration's one schema: defaults, validation and the text of docs/configuration.md all come from here.
// Every option has a default, so `countersign serve` with no file runs the embedded setup of the README.
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const host = z.string().min(1);

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const udp = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Receive syslog over UDP (RFC 5426).'),
    host: host.default('0.0.0.0').describe('Address to bind.'),
    port: port.default(5514).describe('UDP port; 0 picks a free one (it is logged).'),
    receiveBufferBytes: z
      .number().int().min(65536).default(8 * 1024 * 1024)
      .describe('Kernel receive buffer (SO_RCVBUF) asked for; a larger one absorbs bursts before drops.'),
  })
  .prefault({});

const tcp = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Receive syslog over plain TCP (RFC 6587: octet-counting and LF framing, detected per frame).'),
    host: host.default('0.0.0.0').describe('Address to bind.'),
    port: port.default(5514).describe('TCP port; 0 picks a free one (it is logged).'),
    maxFrameBytes: z
      .number().int().min(480).max(16 * 1024 * 1024).default(65536)
      .describe('Longest frame kept whole; a longer one is stored cut at this length as unparsed `frame-too-long`.'),
    maxConnections: z.number().int().min(1).default(4096).describe('Connections accepted at once; more are refused and counted.'),
  })
  .prefault({});

const tls = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Receive syslog over TLS (RFC 5425).'),
    host: host.default('0.0.0.0').describe('Address to bind.'),
    port: port.default(6514).describe('TLS port; 0 picks a free one (it is logged).'),
    certFile: z.string().nullable().default(null)
      .describe('Server certificate (PEM). When null, a self-signed one is made in the data directory on first start and its SHA-256 fingerprint printed.'),
    keyFile: z.string().nullable().default(null).describe('Private key of certFile (PEM).'),
    caFile: z.string().nullable().default(null)
      .describe('CA bundle (PEM) that client certificates must chain to. When set, clients are asked for a certificate and its subject is recorded on every record as the authenticated identity.'),
    requireClientCert: z.boolean().default(false)
      .describe('Refuse clients without a certificate that chains to caFile. Needs caFile.'),
    maxFrameBytes: z.number().int().min(480).max(16 * 1024 * 1024).default(65536).describe('As for tcp.'),
    maxConnections: z.number().int().min(1).default(4096).describe('As for tcp.'),
  })
  .prefault({})
  .refine((t) => !t.requireClientCert || t.caFile !== null, { message: 'requireClientCert needs caFile', path: ['requireClientCert'] })
  .refine((t) => (t.certFile === null) === (t.keyFile === null), { message: 'certFile and keyFile go together', path: ['keyFile'] });

const relp = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Receive syslog over RELP (rsyslog's Reliable Event Logging Protocol): a message is acknowledged only after the transaction storing it committed."),
    host: host.default('0.0.0.0').describe('Address to bind.'),
    port: port.default(2514).describe('RELP port; 0 picks a free one (it is logged).'),
    tls: z.boolean().default(false).describe('Speak RELP over TLS, with the certificate, CA and client-certificate settings of sources.tls.'),
    maxFrameBytes: z.number().int().min(480).max(16 * 1024 * 1024).default(131072).describe('Largest RELP frame (DATALEN) accepted; a larger one answers 500 and closes the session.'),
    window: z.number().int().min(1).max(65536).default(128).describe('Transactions one connection may have waiting for their commit (and so their acknowledgement); reading that connection pauses at this many.'),
    maxConnections: z.number().int().min(1).default(4096).describe('As for tcp.'),
  })
  .prefault({});

export const configSchema = z
  .strictObject({
    dataDir: z.string().min(1).default('./data')
      .describe('Where the store (SQLite, WAL), the generated TLS certificate and keys live. `--data` overrides it.'),
    sources: z
      .strictObject({ udp, tcp, tls, relp })
      .prefault({})
      .describe('Listeners for syslog.'),
    web: z
      .strictObject({
        host: host.default('127.0.0.1').describe('Address of the web UI and API (/healthz, /metrics).'),
        port: port.default(8080).describe('Port of the web UI and API; 0 picks a free one (it is logged).'),
        tls: z.boolean().default(false)
          .describe('Serve the web UI and API over HTTPS with the certificate of sources.tls (its certFile/keyFile, or the self-signed one made in the data directory). Sign-in cookies are then Secure and replies carry HSTS. Off by default: the default address is loopback only; put it on when anything but localhost reaches it, or terminate TLS in front of it.'),
      })
      .prefault({}),
    ingest: z
      .strictObject({
        batchMaxRecords: z.number().int().min(1).max(100_000).default(4096)
          .describe('Records committed in one transaction at most.'),
        batchMaxDelayMs: z.number().int().min(0).max(10_000).default(20)
          .describe('Longest wait before a partly filled batch is committed.'),
        queueMaxBytes: z.number().int().min(1024 * 1024).default(64 * 1024 * 1024)
          .describe('Bytes received but not yet committed, at most. Past it UDP datagrams are dropped and counted, stream sources stay paused, and /healthz reports overloaded. This bounds the memory held by the ingest queue.'),
        streamPauseBytes: z.number().int().min(64 * 1024).default(4 * 1024 * 1024)
          .describe('Stream sources (TCP, TLS, RELP) stop reading while more than this many bytes wait to be committed, and resume below half of it (backpressure: the kernel\'s TCP window holds the senders, nothing is lost). Well below queueMaxBytes, so the writer is not starved by readers racing ahead and the rest of the queue is headroom for datagrams, which cannot be paused. Capped at queueMaxBytes.'),
        writerThread: z.boolean().default(true)
          .describe('Parse, hash and commit on a worker thread, off the network event loop.'),
      })
      .prefault({}),
    parsing: z
      .strictObject({
        timezone: z.string().default('UTC').refine(isTimeZone, { message: 'not an IANA time zone (e.g. UTC, Europe/London)' })
          .describe('Zone of timestamps that carry none (RFC 3164, most network devices).'),
      })
      .prefault({}),
    tlog: z
      .strictObject({
        checkpointIntervalSeconds: z.number().int().min(1).max(86_400).default(10)
          .describe('How often a signed checkpoint of the tamper-evident log is made when it grew (one is also made at shutdown). Every checkpoint is kept.'),
        witnesses: z
          .array(
            z.strictObject({
              url: z.url().describe('Base URL of a witness (`countersign witness` elsewhere); checkpoints are POSTed to <url>/add-checkpoint.'),
              verifierKey: z.string().min(1).describe('The witness\'s verifier key, as it printed at its start (witness.vkey).'),
            }),
          )
          .default([])
          .describe('Witnesses that cosign each new checkpoint after checking it extends the last one they saw. Without one, whoever holds the signing key can rewrite history unnoticed (README).'),
      })
      .prefault({}),
    retention: z
      .strictObject({
        rules: z
          .array(
            z.strictObject({
              olderThanDays: z.number().int().min(1).describe('Erase the payload of records older than this many days.'),
              host: z.string().min(1).optional().describe('Only records of this host (envelope hostname); all hosts when absent.'),
              source: z.enum(['udp', 'tcp', 'tls', 'relp', 'file']).optional().describe('Only records that arrived this way (a file import is `file`); every source when absent.'),
            }),
          )
          .default([])
          .describe('Retention rules the server applies every `intervalHours` (as `countersign prune` does): payloads erased, leaves kept, the erasure logged. None by default: everything is kept.'),
        intervalHours: z.number().min(0.0002).max(720).default(24).describe('How often the retention rules run (the first run is one interval after start).'),
      })
      .prefault({}),
    sessions: z
      .strictObject({
        idleTimeoutSeconds: z.number().int().min(1).default(43_200)
          .describe('A session with no event for this long (default 12 h) is closed as idle; its end is its last activity.'),
        lateGraceSeconds: z.number().int().min(0).default(600)
          .describe('How long a closed session still takes late events that share its hints (e.g. a pam "session closed" after sshd\'s disconnect).'),
        orphanWaitSeconds: z.number().int().min(0).default(60)
          .describe('How long an event whose hints match no session waits for its login to arrive (out-of-order delivery) before a weak link by host, user and time is tried.'),
        weakWindowSeconds: z.number().int().min(0).default(300)
          .describe("A weak link (same host and user, no shared hint) needs the event within this long of the session's last activity."),
        deriveIntervalMs: z.number().int().min(10).max(60_000).default(500)
          .describe('How often the server looks for stored records not yet turned into events and sessions (records written by `import` or another process).'),
      })
      .prefault({}),
    auth: z
      .strictObject({
        requireTotpFor: z.array(z.enum(['viewer', 'reviewer', 'admin'])).default(['reviewer', 'admin'])
          .describe('Roles that must enrol a TOTP second factor before they may act (review, administer). Signed in without it, they can only read and enrol.'),
        sessionIdleMinutes: z.number().int().min(1).default(120)
          .describe('A browser session unused this long is signed out.'),
        sessionMaxHours: z.number().int().min(1).default(12)
          .describe('A browser session ends this long after sign-in, used or not.'),
        loginAttemptsPerMinute: z.number().int().min(1).default(10)
          .describe('Sign-in attempts allowed per client address per minute; more are refused with 429.'),
        publicMetrics: z.boolean().default(true)
          .describe('Serve /metrics without sign-in, for Prometheus (it holds counts only, never log content).'),
      })
      .prefault({}),
    review: z
      .strictObject({
        policyFile: z.string().min(1).optional()
          .describe('The review policy (YAML; see docs/review-policy.md). Without it the built-in default applies: every session with a rule hit needs one approval, critical ones two.'),
      })
      .prefault({}),
    rules: z
      .strictObject({
        dir: z.string().min(1).optional()
          .describe('A directory of your own rule files (*.yaml), loaded beside the built-in pack. A broken rule is refused with file, line and reason; the others keep working.'),
        builtin: z.boolean().default(true)
          .describe('Load the built-in rule pack.'),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        publicUrl: z.url().optional()
          .describe('Base URL of the web UI as alert readers reach it (e.g. https://countersign.example.net); alerts then link to the session page. Without it alerts carry no link.'),
        routes: z
          .array(
            z.strictObject({
              name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64'),
              minLevel: z.enum(['informational', 'low', 'medium', 'high', 'critical']).default('high'),
              tags: z.array(z.string().min(1)).min(1).optional(),
              rules: z.array(z.string().min(1)).min(1).optional(),
              // One variant per sink type; src/alerts/sinks/index.ts builds each.
              sink: z.discriminatedUnion('type', [
                z.strictObject({
                  type: z.literal('webhook'),
                  url: z.url({ protocol: /^https?$/ }),
                  format: z.enum(['json', 'slack']).default('json'),
                }),
                z.strictObject({
                  type: z.literal('email'),
                  host,
                  port: port.default(25),
                  secure: z.boolean().default(false),
                  from: z.string().min(3),
                  to: z.array(z.string().min(3)).min(1),
                  user: z.string().min(1).optional(),
                  passwordFile: z.string().min(1).optional(),
                }).refine((s) => s.passwordFile === undefined || s.user !== undefined, { message: 'passwordFile needs user', path: ['user'] }),
                z.strictObject({
                  type: z.literal('syslog'),
                  host,
                  port: port.default(6514),
                  transport: z.enum(['tcp', 'tls']).default('tls'),
                  caFile: z.string().min(1).optional(),
                  facility: z.number().int().min(0).max(23).default(13),
                }),
                z.strictObject({
                  type: z.literal('gelf'),
                  host,
                  port: port.default(12201),
                  transport: z.enum(['udp', 'tcp']).default('udp'),
                  compress: z.boolean().default(false),
                }),
              ]),
              dedupWindowSeconds: z.number().int().min(0).max(86_400).default(300),
              maxPerMinute: z.number().int().min(1).max(10_000).default(30),
              retryMaxAgeSeconds: z.number().int().min(1).max(30 * 86_400).default(86_400),
            }),
          )
          .default([])
          .refine((rs) => new Set(rs.map((r) => r.name)).size === rs.length, { message: 'route names must be unique' })
          .describe(
            'Where rule hits are sent (docs/alerts.md). A route takes the hits at or above `minLevel` (informational … critical, default high), of a rule carrying one of `tags` (when given) and listed in `rules` (when given), and delivers them to its `sink`: ' +
              '`{ type: webhook, url, format: json|slack }`, `{ type: email, host, port: 25, secure: false, from, to: [...], user?, passwordFile? }` (plain-text mail over SMTP; secure is TLS from the first byte, else STARTTLS when offered), ' +
              '`{ type: syslog, host, port: 6514, transport: tcp|tls, caFile?, facility: 13 }` (RFC 5424, octet-counted) or `{ type: gelf, host, port: 12201, transport: udp|tcp, compress: false }`. ' +
              'Repeats of one rule on one host and session within `dedupWindowSeconds` (300) fold into one alert and a follow-up with the count; past `maxPerMinute` (30) alerts are held and sent as one summary; a failed delivery is retried with backoff (1 s doubling to 5 min) for `retryMaxAgeSeconds` (86400), then marked failed with the reason. No routes by default.',
          ),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info')
          .describe("Level of Countersign's own diagnostics (JSON lines on stdout)."),
      })
      .prefault({}),
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
