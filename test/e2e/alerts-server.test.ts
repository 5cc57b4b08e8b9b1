// End to end: the built server with an alert route to a webhook on loopback; util-linux `logger` sends a
// snoopy line running `history -c`, the built-in history-tampering rule hits, and the webhook receives
// the alert, which /metrics counts as delivered.
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { fetchMetrics, metric, startServer, testConfig } from './helpers/countersign.js';
import { startWebhook } from './helpers/alert-receivers.js';
import { describeWithTools } from './helpers/require-tool.js';

// From src/rules/builtin/history-tampering.yaml's first example (snoopy@1).
const SNOOPY = '[login:cs-alice ssh:(127.0.0.1 47698 127.0.0.1 22) sid:14943 tty:(none) ((none)/(none)) uid:cs-alice(1001)/cs-alice(1001) cwd:/home/cs-alice]: bash -c history -c';

describeWithTools(['logger'], 'alerts: serve + logger + webhook', () => {
  it('a logged `history -c` reaches the webhook as an alert', async () => {
    const w = await startWebhook();
    const s = await startServer({
      config: testConfig({ alerts: { publicUrl: 'http://cs.example.net', routes: [{ name: 'ops', minLevel: 'high', sink: { type: 'webhook', url: w.url } }] } }),
    });
    try {
      execFileSync('logger', ['--tcp', '--rfc3164', '-n', '127.0.0.1', '-P', String(s.ports.tcp), '-t', 'snoopy', '--id=14950', SNOOPY]);
      await w.waitFor(1);
      expect(w.requests[0]!.body).toMatchObject({
        kind: 'alert',
        route: 'ops',
        rule: 'history-tampering',
        title: 'Shell history tampering',
        level: 'high',
        user: 'cs-alice',
        command: 'bash -c history -c',
        count: 1,
      });
      const m = await fetchMetrics(s);
      expect(metric(m, 'countersign_alerts', { route: 'ops', what: 'delivered' })).toBe(1);
      expect(metric(m, 'countersign_alerts', { route: 'ops', what: 'failed' })).toBe(0);
    } finally {
      expect(await s.stop()).toBe(0);
      await w.close();
    }
  });
});
