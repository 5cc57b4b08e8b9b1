// Wiring of `countersign serve`: store, writer thread, ingest queue, sources and the HTTP API,
// started in order and stopped in reverse so that everything received is committed before exit.
import { WalCheckpointer } from './wal-checkpointer.js';
import { sha256Batch } from '../native/sha256-batch.js';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { buildApi, type HealthReport } from '../api/server.js';
import type { AuthDeps } from '../auth/deps.js';
import type { ReviewRouteDeps } from '../api/review/routes.js';
import { CS_ERR } from '../errors.js';
import { openSessionReader, openTlogStore, prepareStore, setWalCheckpoints } from '../store/index.js';
import { Checkpointer } from './checkpointer.js';
import { loadOrCreateLogKey } from './log-key.js';
import { WitnessPusher } from './witness-push.js';
import { pruneRecords } from './retention.js';
import { loadRuleSet } from '../rules/load.js';
import { startSyslogTcp } from '../sources/syslog-tcp.js';
import { startSyslogTls } from '../sources/syslog-tls.js';
import { startSyslogUdp } from '../sources/syslog-udp.js';
import { startRelp } from '../sources/relp.js';
import { loadOrCreateTlsIdentity } from '../sources/tls-identity.js';
import type { Running, SourceContext } from '../sources/types.js';
import { InlineCommitter, WorkerCommitter, type Committer } from './committer.js';
import { DeriveRunner } from './derive-runner.js';
import { AlertRouter } from '../alerts/router.js';
import { Ingest } from './ingest.js';
import { ingestMetrics } from './metrics.js';

export interface Service {
  readonly sources: readonly Running[];
  readonly web: { readonly host: string; readonly port: number };
  stop(): Promise<{ received: number; stored: number; lastSeq: number }>;
}

const VERSION = '0.1.0';

/** What the caller builds for the service: accounts and access (on the caller's own store connection). */
export interface ServiceDeps {
  readonly auth: AuthDeps;
  /** The review side (policy, service), over the same connection as auth. */
  readonly review?: ReviewRouteDeps;
}

export const startService = async (config: Config, log: Logger, clock: Clock, deps: ServiceDeps): Promise<Service> => {
  const startedAt = clock.now();
  await prepareStore(config.dataDir);
  const metrics = ingestMetrics();
  // Every connection of this process leaves the WAL to the checkpoint thread: no commit, on the
  // writer thread or on the event loop, stops to copy it (store/sqlite/open.ts).
  setWalCheckpoints('thread');
  const walCheckpointer = new WalCheckpointer(config.dataDir, metrics, log.child({ component: 'store' }));
  // Alerts follow the rule hits the deriver stores (src/alerts/, docs/alerts.md). Made first: a sink it
  // cannot build stops start-up before anything runs, and a new store's cursor starts before any hit.
  const alerts = new AlertRouter({ dataDir: config.dataDir, config: config.alerts, rules: loadRuleSet(config.rules).set.rules, clock, log: log.child({ component: 'alerts' }), registry: metrics.registry });
  const committerOpts = { dataDir: config.dataDir, timezone: config.parsing.timezone, walCheckpoints: 'thread' as const };
  const committer: Committer = config.ingest.writerThread ? new WorkerCommitter(committerOpts) : new InlineCommitter(committerOpts);
  const ingest = new Ingest(committer, config.ingest, clock, metrics, log.child({ component: 'ingest' }));
  const ctx: SourceContext = { ingest, metrics, log: log.child({ component: 'sources' }), clock };
  const s = config.sessions;
  const derive = new DeriveRunner(
    {
      dataDir: config.dataDir,
      walCheckpoints: 'thread',
      intervalMs: s.deriveIntervalMs,
      rules: config.rules,
      sessionizer: {
        idleTimeoutMs: s.idleTimeoutSeconds * 1000,
        graceMs: s.lateGraceSeconds * 1000,
        orphanWindowMs: s.orphanWaitSeconds * 1000,
        weakWindowMs: s.weakWindowSeconds * 1000,
      },
    },
    log.child({ component: 'derive' }),
  );

  const sources: Running[] = [];
  const stopSources = async (): Promise<void> => {
    await Promise.all(sources.map((s) => s.stop()));
  };
  const health = (): HealthReport => {
    const failure = ingest.lastFailure;
    const problems = failure !== null ? [`store commits failing: ${failure.message}`] : [];
    if (derive.lastFailure !== null) problems.push(`deriving sessions failing: ${derive.lastFailure}`);
    return {
      status: problems.length === 0 ? 'ok' : 'degraded',
      problems,
      version: VERSION,
      uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
      ingest: { ...ingest.queued, overloaded: ingest.isOverloaded, lastSeq: ingest.lastSeq },
      derive: { cursor: derive.cursor, lagRecords: Math.max(0, ingest.lastSeq - derive.cursor), openSessions: derive.openSessions },
      tlog: tlogHealth(),
      sources: sources.map((s) => ({ id: s.id, ...s.address })),
    };
  };
  const tlogHealth = (): Record<string, unknown> => {
    const c = tlogStore.latestCheckpoint();
    return { treeSize: tlogStore.tree().size, checkpointSize: c?.size ?? null, checkpointAt: c === undefined ? null : new Date(c.createdAt).toISOString(), witnesses: witnesses.count };
  };
  // The tree is appended by the writer; this connection signs checkpoints and serves proofs.
  const logKey = loadOrCreateLogKey(config.dataDir);
  log.info(
    { verifierKey: logKey.verifierKey, keyFile: logKey.file, generated: logKey.generated },
    logKey.generated ? 'tlog: generated the log signing key; give this verifier key to witnesses and reviewers' : 'tlog verifier key',
  );
  const tlogStore = openTlogStore(config.dataDir);
  const checkpointer = new Checkpointer(tlogStore, logKey, clock);
  const witnesses = new WitnessPusher(tlogStore, config.tlog.witnesses, log.child({ component: 'witness' }), clock);
  if (sha256Batch.backend !== 'native') log.warn({ sha256: sha256Batch.backend, reason: sha256Batch.reason }, 'hashing through node:crypto, not the native batch helper: ingest is correct but slower');
  if (witnesses.count === 0) log.warn('tlog: no witness configured: anyone holding the signing key could rewrite history unnoticed; save checkpoints off this host (README)');
  // Titles for the hits sessions list; the derive thread compiles the same files for matching and reports refused ones.
  const sessionReader = openSessionReader(config.dataDir, { rules: loadRuleSet(config.rules).set.catalogue() });
  // HTTPS for the web with the TLS listener's certificate (made on first start when none is configured).
  const webTls = config.web.tls ? await loadOrCreateTlsIdentity(config.dataDir, config.sources.tls.certFile, config.sources.tls.keyFile, clock.now()) : null;
  const api = buildApi({
    ...(webTls !== null ? { https: { key: Buffer.from(webTls.key), cert: Buffer.from(webTls.cert) } } : {}),
    log,
    health,
    metricsText: () => metrics.registry.render(),
    auth: deps.auth,
    ...(deps.review !== undefined ? { review: deps.review } : {}),
    sessions: sessionReader,
    tlog: () => tlogStore,
    dashboard: { dataDir: config.dataDir, clock, ruleTitles: loadRuleSet(config.rules).set.catalogue(), checkpointIntervalSeconds: config.tlog.checkpointIntervalSeconds, alertHealth: () => alerts.health() },
    verifierKey: logKey.verifierKey,
    version: VERSION,
  });
  api.addHook('onClose', async () => sessionReader.close());
  let web: { host: string; port: number };
  try {
    const { udp, tcp, tls } = config.sources;
    if (udp.enabled) sources.push(await startSyslogUdp(ctx, udp));
    if (tcp.enabled) sources.push(await startSyslogTcp(ctx, tcp));
    if (tls.enabled) {
      const identity = await loadOrCreateTlsIdentity(config.dataDir, tls.certFile, tls.keyFile, clock.now());
      log.info(
        { certFile: identity.certFile, fingerprint256: identity.fingerprint256, generated: identity.generated },
        identity.generated ? 'TLS: generated a self-signed certificate; pin this fingerprint in senders' : 'TLS certificate',
      );
      sources.push(await startSyslogTls(ctx, tls, identity));
    }
    const relp = config.sources.relp;
    if (relp.enabled) {
      // RELP over TLS uses the certificate and client-certificate settings of sources.tls.
      const relpTls = relp.tls
        ? { identity: await loadOrCreateTlsIdentity(config.dataDir, tls.certFile, tls.keyFile, clock.now()), caFile: tls.caFile, requireClientCert: tls.requireClientCert }
        : null;
      sources.push(await startRelp(ctx, relp, relpTls));
    }
    await api.listen({ host: config.web.host, port: config.web.port }).catch((e: unknown) => {
      throw CS_ERR.listenFailed('web', `${config.web.host}:${config.web.port}`, e);
    });
    const webAddr = api.server.address();
    web = { host: config.web.host, port: typeof webAddr === 'object' && webAddr !== null ? webAddr.port : config.web.port };
  } catch (e) {
    // Start-up failed part-way: undo what started (listeners, the writer thread) so the process can exit.
    await stopSources();
    await ingest.flush();
    await committer.close();
    await api.close();
    await derive.stop();
    await alerts.stop();
    tlogStore.close();
    await walCheckpointer.stop();
    throw e;
  }

  derive.start();
  alerts.start();
  metrics.derive.set({ what: 'cursor' }, () => derive.cursor);
  metrics.derive.set({ what: 'lag_records' }, () => Math.max(0, ingest.lastSeq - derive.cursor));
  metrics.derive.set({ what: 'open_sessions' }, () => derive.openSessions);
  metrics.tlog.set({ what: 'tree_size' }, () => tlogStore.tree().size);
  metrics.tlog.set({ what: 'checkpoint_size' }, () => tlogStore.latestCheckpoint()?.size ?? 0);
  metrics.tlog.set({ what: 'checkpoint_age_seconds' }, () => {
    const c = tlogStore.latestCheckpoint();
    return c === undefined ? -1 : Math.round((clock.now() - c.createdAt) / 1000);
  });
  metrics.tlog.set({ what: 'witnesses' }, () => witnesses.count);
  // Retention rules, if any: the same as `countersign prune`, on the server's own schedule.
  const applyRetention = (): void => {
    for (const rule of config.retention.rules) {
      try {
        const r = pruneRecords(config.dataDir, { before: clock.now() - rule.olderThanDays * 86_400_000, ...(rule.host !== undefined ? { host: rule.host } : {}), ...(rule.source !== undefined ? { source: rule.source } : {}) }, clock);
        if (r.count > 0) log.info({ rule, pruned: r.count, entry: r.entrySeq }, 'retention: payloads erased, leaves kept, erasure logged');
      } catch (e) {
        log.error({ rule, err: String((e as Error)?.message ?? e) }, 'retention failed');
      }
    }
  };
  const retentionTimer = config.retention.rules.length === 0 ? null : setInterval(applyRetention, config.retention.intervalHours * 3_600_000);
  retentionTimer?.unref();
  // Storing what arrives comes before deriving sessions from it: while records wait to commit, the
  // deriver takes small bites (its backlog is caught up when the load drops).
  // The deriver steps back while ingest is pressed (more queued than a few batches), not whenever a
  // record waits: under steady moderate traffic some record always waits, and sessions and alerts
  // would fall minutes behind (measured at 20 000 msg/s: derive lag grew by 13 000 records a second).
  const busyTimer = setInterval(() => derive.setIngestBusy(ingest.streamsHeld || ingest.isOverloaded || ingest.queued.bytes > (config.ingest.streamPauseBytes ?? 0) / 4), 50);
  busyTimer.unref();
  // Sessions whose events or risk changed are decided again under the review policy, a bite at a time
  // (the queue request also refreshes before it answers).
  const review = deps.review;
  const reviewTimer =
    review === undefined
      ? null
      : setInterval(() => {
          try {
            review.reviews.refresh(500);
          } catch (e) {
            log.error({ err: String((e as Error)?.message ?? e) }, 'refreshing review states failed');
          }
        }, 2000);
  reviewTimer?.unref();
  checkpointer.start(
    config.tlog.checkpointIntervalSeconds * 1000,
    (e) => log.error({ err: String((e as Error)?.message ?? e) }, 'signing a checkpoint failed'),
    (c) => void witnesses.push(c),
  );
  ingest.onCommitted(() => derive.nudge());
  for (const s of sources) log.info({ source: s.id, host: s.address.host, port: s.address.port, protocol: s.address.protocol }, 'listening');
  log.info({ source: 'web', host: web.host, port: web.port, url: `${webTls !== null ? 'https' : 'http'}://${web.host}:${web.port}/`, dataDir: config.dataDir }, 'listening');

  let stopping: ReturnType<Service['stop']> | null = null;
  const total = (c: typeof metrics.received): number => c.get({ transport: 'udp' }) + c.get({ transport: 'tcp' }) + c.get({ transport: 'tls' }) + c.get({ transport: 'relp' });
  return {
    sources,
    web,
    stop: () =>
      (stopping ??= (async () => {
        await stopSources();
        await ingest.flush();
        await committer.close();
        clearInterval(busyTimer);
        if (reviewTimer !== null) clearInterval(reviewTimer);
        if (retentionTimer !== null) clearInterval(retentionTimer);
        checkpointer.stop();
        try {
          const last = checkpointer.make(); // the final state, so a verify after shutdown has a checkpoint covering everything
          if (last !== undefined) await witnesses.push(last);
        } catch (e) {
          log.error({ err: String((e as Error)?.message ?? e) }, 'signing the final checkpoint failed');
        }
        await derive.stop();
        await alerts.stop();
        await api.close();
        tlogStore.close();
        await walCheckpointer.stop();
        const stored = ['udp', 'tcp', 'tls', 'relp'].reduce(
          (n, t) => n + metrics.stored.get({ transport: t, kind: 'parsed' }) + metrics.stored.get({ transport: t, kind: 'unparsed' }),
          0,
        );
        return { received: total(metrics.received), stored, lastSeq: ingest.lastSeq };
      })()),
  };
};
