// The alert router against a real store and a real webhook receiver on loopback, on the injected clock:
// deduplication of a burst, the rate limit's summary, retries with backoff and giving up, the cursor
// across restarts, hits written again by the deriver, and routes removed. Ticks are driven by the test;
// nothing waits on real time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRouter } from '../../src/alerts/router.js';
import { FakeClock } from '../../src/clock.js';
import { Registry } from '../../src/pipeline/metrics.js';
import { prepareStore } from '../../src/store/index.js';
import { HitWriter, routerFor } from '../helpers/alerts.js';
import { startWebhook, type Webhook } from './helpers/alert-receivers.js';

// A minute boundary plus one second, so "the next minute" of the rate limit is exact.
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000) + 1000;

let dir: string;
let clock: FakeClock;
let hits: HitWriter;
const open: { close(): unknown }[] = [];
const routers: AlertRouter[] = [];

const hook = async (status?: (n: number) => number): Promise<Webhook> => {
  const w = await startWebhook(status);
  open.push(w);
  return w;
};
const router = (routes: Record<string, unknown>[], o: Parameters<typeof routerFor>[3] = {}): AlertRouter => {
  const r = routerFor(dir, routes, clock, o);
  routers.push(r);
  return r;
};
const webhookRoute = (w: Webhook, extra: Record<string, unknown> = {}) => ({ name: 'ops', minLevel: 'high', sink: { type: 'webhook', url: w.url }, ...extra });
const bodies = (w: Webhook) => w.requests.map((r) => r.body as Record<string, unknown>);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-alerts-'));
  await prepareStore(dir);
  clock = new FakeClock(T0);
  hits = new HitWriter(dir);
});

afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.stop()));
  hits.close();
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('alerts: deduplication', () => {
  it('a burst of 100 hits of one rule in one session is one alert at once and a follow-up with count 100 when the window closes', async () => {
    const w = await hook();
    const r = router([webhookRoute(w)], { publicUrl: 'https://cs.example.net/' });
    await r.tick();
    hits.write(Array.from({ length: 60 }, () => ({ session: 42 })));
    await r.tick();
    hits.write(Array.from({ length: 40 }, () => ({ session: 42 })));
    clock.advance(10_000);
    await r.tick();
    expect(bodies(w)).toHaveLength(1);
    expect(bodies(w)[0]).toMatchObject({ kind: 'alert', rule: 'history-tampering', title: 'Shell history tampering', level: 'high', host: 'vm', user: 'cs-alice', session: 42, command: 'bash -c history -c', count: 1, url: 'https://cs.example.net/sessions/42' });
    expect(r.health()[0]).toMatchObject({ route: 'ops', sink: 'webhook', delivered: 1, pending: 1, failed: 0 });

    clock.set(T0 + 299_999);
    await r.tick();
    expect(bodies(w)).toHaveLength(1);
    clock.set(T0 + 300_000);
    await r.tick();
    expect(bodies(w)).toHaveLength(2);
    expect(bodies(w)[1]).toMatchObject({ kind: 'followup', rule: 'history-tampering', session: 42, count: 100 });
    expect(r.health()[0]).toMatchObject({ delivered: 2, pending: 0, failed: 0 });

    // After the window a repeat is news again.
    hits.write([{ session: 42 }]);
    await r.tick();
    expect(bodies(w).map((b) => [b.kind, b.count])).toEqual([['alert', 1], ['followup', 100], ['alert', 1]]);
  });

  it('a backlog larger than one read is taken whole, in order, and folds the same way', async () => {
    const w = await hook();
    const r = router([webhookRoute(w)]);
    hits.write(Array.from({ length: 1500 }, () => ({ session: 5 })));
    hits.write([{ session: 6 }]);
    await r.tick();
    expect(bodies(w).map((b) => [b.kind, b.session, b.count])).toEqual([['alert', 5, 1], ['alert', 6, 1]]);
    clock.advance(300_000);
    await r.tick();
    expect(bodies(w).map((b) => [b.kind, b.session, b.count])).toEqual([['alert', 5, 1], ['alert', 6, 1], ['followup', 5, 1500]]);
  });

  it('other sessions, hosts and rules are alerts of their own; levels below minLevel are not routed', async () => {
    const w = await hook();
    const r = router([webhookRoute(w)]);
    hits.write([{ session: 1 }, { session: 2 }, { session: 1, host: 'web-1' }, { session: 1, rule: 'interactive-root-shell' }, { session: 1, level: 'medium' }, { session: null }]);
    await r.tick();
    expect(bodies(w).map((b) => `${b.rule}/${b.host}/${b.session}`)).toEqual([
      'history-tampering/vm/1',
      'history-tampering/vm/2',
      'history-tampering/web-1/1',
      'interactive-root-shell/vm/1',
      'history-tampering/vm/null',
    ]);
  });
});

describe('alerts: rate limit', () => {
  it('past maxPerMinute alerts are held, not dropped, and go out as one summary in the next minute', async () => {
    const w = await hook();
    const r = router([webhookRoute(w, { maxPerMinute: 3, dedupWindowSeconds: 0 })]);
    hits.write(Array.from({ length: 10 }, (_, i) => ({ session: 100 + i })));
    await r.tick();
    expect(bodies(w)).toHaveLength(3);
    expect(r.health()[0]).toMatchObject({ delivered: 3, pending: 7, held: 7 });
    clock.advance(58_000);
    await r.tick();
    expect(bodies(w)).toHaveLength(3);
    clock.advance(1000); // the next clock minute
    await r.tick();
    expect(bodies(w)).toHaveLength(4);
    const s = bodies(w)[3]!;
    expect(s).toMatchObject({ kind: 'summary', rule: 'history-tampering', host: 'vm', session: null, count: 7, level: 'high' });
    expect((s.items as unknown[]).length).toBe(7);
    expect(r.health()[0]).toMatchObject({ delivered: 4, pending: 0, held: 0, failed: 0 });
  });
});

describe('alerts: retries', () => {
  it('a webhook answering 500 twice then 200: pending with the last error in between, delivered at the third attempt', async () => {
    const w = await hook((n) => (n <= 2 ? 500 : 200));
    const r = router([webhookRoute(w)]);
    hits.write([{}]);
    await r.tick();
    expect(w.requests).toHaveLength(1);
    const h1 = r.health()[0]!;
    expect(h1).toMatchObject({ delivered: 0, pending: 1, failed: 0 });
    expect(h1.lastError).toMatch(/HTTP 500 receiver says no/);
    await r.tick(); // backing off: not tried again yet
    expect(w.requests).toHaveLength(1);
    clock.advance(1000);
    await r.tick();
    expect(w.requests).toHaveLength(2);
    expect(r.health()[0]).toMatchObject({ delivered: 0, pending: 1 });
    clock.advance(1999);
    await r.tick();
    expect(w.requests).toHaveLength(2);
    clock.advance(1);
    await r.tick();
    expect(w.requests).toHaveLength(3);
    expect(new Set(w.requests.map((q) => q.headers['x-countersign-alert-id'])).size).toBe(1);
    expect(r.health()[0]).toMatchObject({ delivered: 1, pending: 0, failed: 0, lastDeliveredAt: new Date(T0 + 3000).toISOString() });
  });

  it('a route that keeps failing holds its other alerts behind one backoff, and gives up after its max age with the reason', async () => {
    const w = await hook(() => 503);
    const r = router([webhookRoute(w, { retryMaxAgeSeconds: 10 })]);
    hits.write([{ session: 1 }, { session: 2 }]);
    await r.tick();
    expect(w.requests).toHaveLength(1); // the second waits behind the first
    hits.write([{ session: 3 }]);
    await r.tick();
    expect(w.requests).toHaveLength(1); // and so does one that comes during the outage
    for (const step of [1000, 2000, 4000, 8000]) {
      clock.advance(step);
      await r.tick();
    }
    // t = 15 s: the first gave up at its 5th attempt (a route's turn ends at its first failure: the second still waits).
    expect(w.requests).toHaveLength(5);
    const h = r.health()[0]!;
    expect(h).toMatchObject({ delivered: 0, pending: 2, failed: 1 });
    expect(h.lastError).toMatch(/^gave up after 5 attempts over 15 s: POST http:\/\/127\.0\.0\.1:\d+: HTTP 503/);
    // Keep going: the others give up too; nothing is left pending, nothing vanished.
    for (let i = 0; i < 10 && r.health()[0]!.pending > 0; i++) {
      clock.advance(300_000);
      await r.tick();
    }
    expect(r.health()[0]).toMatchObject({ delivered: 0, pending: 0, failed: 3 });
  });
});

describe('alerts: the cursor', () => {
  it('hits that were stored before alerting ever ran are history; hits stored while the router was stopped are alerted after it starts', async () => {
    hits.write([{ session: 1 }]);
    const w = await hook();
    const r1 = router([webhookRoute(w)]);
    await r1.tick();
    expect(w.requests).toHaveLength(0);
    await r1.stop();
    hits.write([{ session: 2 }, { session: 3 }]);
    const r2 = router([webhookRoute(w)]);
    await r2.tick();
    expect(bodies(w).map((b) => b.session)).toEqual([2, 3]);
    await r2.tick();
    expect(w.requests).toHaveLength(2);
  });

  it('an alert that could not be delivered before a stop is delivered after the next start', async () => {
    const down = await hook(() => 500);
    const r1 = router([webhookRoute(down)]);
    hits.write([{}]);
    await r1.tick();
    expect(r1.health()[0]).toMatchObject({ pending: 1 });
    await r1.stop();
    const up = await hook();
    const r2 = router([webhookRoute(up)]);
    clock.advance(1000);
    await r2.tick();
    expect(bodies(up)).toHaveLength(1);
    expect(r2.health()[0]).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('a hit written again when its orphan event is adopted is not alerted twice; a rule that only then hits is', async () => {
    const w = await hook();
    const r = router([{ ...webhookRoute(w), minLevel: 'informational' }]);
    const [orphan] = hits.write([{ session: null, rule: 'a' }]);
    await r.tick();
    expect(bodies(w).map((b) => `${b.rule}/${b.session}`)).toEqual(['a/null']);
    hits.rematch(orphan!, [{ rule: 'a', session: 7 }]);
    await r.tick();
    expect(w.requests).toHaveLength(1);
    // The rematch writes b where a was (SQLite reuses the freed rowid, at the cursor) and a after it.
    hits.rematch(orphan!, [{ rule: 'b', session: 7 }, { rule: 'a', session: 7 }]);
    await r.tick();
    expect(bodies(w).map((b) => `${b.rule}/${b.session}`)).toEqual(['a/null', 'b/7']);
    await r.tick();
    expect(w.requests).toHaveLength(2);
  });
});

describe('alerts: visibility', () => {
  it('alerts of a route removed from the configuration are marked failed with the reason and stay listed', async () => {
    const down = await hook(() => 500);
    const r1 = router([webhookRoute(down)]);
    hits.write([{}]);
    await r1.tick();
    await r1.stop();
    const w = await hook();
    const r2 = router([{ ...webhookRoute(w), name: 'other' }]);
    const h = r2.health();
    expect(h.map((x) => [x.route, x.sink, x.pending, x.failed])).toEqual([['other', 'webhook', 0, 0], ['ops', null, 0, 1]]);
    expect(h[1]!.lastError).toBe('route removed from the configuration');
  });

  it('a sink that cannot be built stops start-up, naming the option', () => {
    const sink = { type: 'email', host: '127.0.0.1', from: 'a@example.net', to: ['b@example.net'], user: 'cs', passwordFile: join(dir, 'no-such-file') };
    expect(() => router([{ name: 'mail', sink }])).toThrow(/^\(configuration\): alerts\.routes\.0\.sink\.passwordFile: cannot read .*no-such-file/);
  });

  it('Prometheus gauges per route', async () => {
    const w = await hook();
    const registry = new Registry();
    const r = router([webhookRoute(w)], { registry });
    hits.write([{}, {}]);
    await r.tick();
    const text = registry.render();
    expect(text).toContain('countersign_alerts{route="ops",what="delivered"} 1');
    expect(text).toContain('countersign_alerts{route="ops",what="pending"} 1');
    expect(text).toContain('countersign_alerts{route="ops",what="failed"} 0');
    expect(text).toContain(`countersign_alerts{route="ops",what="last_success_timestamp_seconds"} ${Math.round(T0 / 1000)}`);
  });
});
