// Alert delivery as the dashboard and /metrics show it: per route, what was delivered, what waits, what
// was given up, the last error and the last success. Routes no longer configured but with rows stay
// listed, so nothing given up disappears from view.
import { z } from 'zod';
import type { RouteTotals } from './port.js';
import type { RouteConfig, SinkType } from './types.js';

const iso = z.string();

export const alertRouteHealthSchema = z.object({
  route: z.string(),
  /** The sink type; null for a route no longer in the configuration. */
  sink: z.enum(['webhook', 'email', 'syslog', 'gelf']).nullable(),
  /** Alerts delivered (a summary counts once). */
  delivered: z.number().int(),
  /** Not delivered yet and not given up: to send, retrying, held by the rate limit or still counting repeats. */
  pending: z.number().int(),
  /** Of pending: held by the rate limit, to go out in the next summary. */
  held: z.number().int(),
  /** Given up (retries past the route's max age, or the route removed), each with its reason. */
  failed: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: iso.nullable(),
  lastDeliveredAt: iso.nullable(),
  /** When the oldest alert still waiting was made. */
  oldestPendingAt: iso.nullable(),
});
export type AlertRouteHealth = z.infer<typeof alertRouteHealthSchema>;

const isoOf = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Configured routes first, in configuration order, then routes that only the store remembers. */
export const alertHealth = (totals: readonly RouteTotals[], routes: readonly Pick<RouteConfig, 'name' | 'sink'>[]): AlertRouteHealth[] => {
  const byRoute = new Map(totals.map((t) => [t.route, t]));
  const row = (route: string, sink: SinkType | null): AlertRouteHealth => {
    const t = byRoute.get(route);
    return {
      route,
      sink,
      delivered: t?.delivered ?? 0,
      pending: t?.pending ?? 0,
      held: t?.held ?? 0,
      failed: t?.failed ?? 0,
      lastError: t?.lastError ?? null,
      lastErrorAt: isoOf(t?.lastErrorAt ?? null),
      lastDeliveredAt: isoOf(t?.lastSuccessAt ?? null),
      oldestPendingAt: isoOf(t?.oldestPendingAt ?? null),
    };
  };
  const configured = new Set(routes.map((r) => r.name));
  return [...routes.map((r) => row(r.name, r.sink.type)), ...totals.filter((t) => !configured.has(t.route)).map((t) => row(t.route, null))];
};
