// The alerts section of the configuration: defaults, and bad routes refused with the option's path.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';

const route = (extra: Record<string, unknown> = {}) => ({ name: 'ops', sink: { type: 'webhook', url: 'https://hooks.example.net/x' }, ...extra });
const refused = (alerts: unknown): string => {
  try {
    parseConfig({ alerts }, 'cs.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('alerts configuration', () => {
  it('no routes by default; a route gets its defaults', () => {
    expect(parseConfig({}).alerts).toEqual({ routes: [] });
    expect(parseConfig({ alerts: { routes: [route()] } }).alerts.routes[0]).toEqual({
      name: 'ops',
      minLevel: 'high',
      sink: { type: 'webhook', url: 'https://hooks.example.net/x', format: 'json' },
      dedupWindowSeconds: 300,
      maxPerMinute: 30,
      retryMaxAgeSeconds: 86_400,
    });
    const [mail, sys, gelf] = parseConfig({
      alerts: {
        routes: [
          route({ name: 'm', sink: { type: 'email', host: 'smtp', from: 'a@b.c', to: ['d@e.f'] } }),
          route({ name: 's', sink: { type: 'syslog', host: 'siem' } }),
          route({ name: 'g', sink: { type: 'gelf', host: 'graylog' } }),
        ],
      },
    }).alerts.routes;
    expect(mail!.sink).toEqual({ type: 'email', host: 'smtp', port: 25, secure: false, from: 'a@b.c', to: ['d@e.f'] });
    expect(sys!.sink).toEqual({ type: 'syslog', host: 'siem', port: 6514, transport: 'tls', facility: 13 });
    expect(gelf!.sink).toEqual({ type: 'gelf', host: 'graylog', port: 12201, transport: 'udp', compress: false });
  });

  it('refuses bad routes, naming the option', () => {
    expect(refused({ routes: [route(), route()] })).toBe('cs.yaml: alerts.routes: route names must be unique');
    expect(refused({ routes: [route({ sink: { type: 'webhook', url: 'file:///etc/passwd' } })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.sink\.url: /);
    expect(refused({ routes: [route({ sink: { type: 'pager' } })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.sink\.type: /);
    expect(refused({ routes: [route({ minLevel: 'severe' })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.minLevel: /);
    expect(refused({ routes: [route({ name: 'a b' })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.name: letters/);
    expect(refused({ routes: [route({ sink: { type: 'email', host: 'h', from: 'a@b.c', to: ['d@e.f'], passwordFile: '/x' } })] })).toBe('cs.yaml: alerts.routes.0.sink.user: passwordFile needs user');
    expect(refused({ routes: [route({ maxPerMinute: 0 })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.maxPerMinute: /);
    expect(refused({ routes: [route({ sink: { type: 'syslog', host: 'h', transport: 'udp' } })] })).toMatch(/^cs\.yaml: alerts\.routes\.0\.sink\.transport: /);
    expect(refused({ route: [] })).toMatch(/^cs\.yaml: alerts: .*route/);
  });
});
