// The sink registry: one line per sink type, keyed by the `type` of a route's sink in the configuration.
import type { Clock } from '../../clock.js';
import type { AlertSink, SinkConfig, SinkType } from '../types.js';
import { emailSink } from './email.js';
import { gelfSink } from './gelf.js';
import { syslogSink } from './syslog.js';
import { webhookSink } from './webhook.js';

export interface SinkDeps {
  readonly clock: Clock;
  /** Where the sink is in the configuration (alerts.routes.N.sink), for start-up errors. */
  readonly optionPath: string;
}

type Factories = { readonly [K in SinkType]: (cfg: Extract<SinkConfig, { type: K }>, deps: SinkDeps) => AlertSink };

export const SINKS: Factories = {
  webhook: (cfg) => webhookSink(cfg),
  email: (cfg, d) => emailSink(cfg, d.clock, d.optionPath),
  syslog: (cfg, d) => syslogSink(cfg, d.clock, d.optionPath),
  gelf: (cfg) => gelfSink(cfg),
};

export const createSink = (cfg: SinkConfig, deps: SinkDeps): AlertSink => (SINKS[cfg.type] as (c: SinkConfig, d: SinkDeps) => AlertSink)(cfg, deps);
