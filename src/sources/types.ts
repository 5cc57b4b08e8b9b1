// The source stage: something that listens or reads and pushes frames into the ingest queue.
// A source declares what it binds, and on stop hands over every byte it read before returning.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Ingest } from '../pipeline/ingest.js';
import type { IngestMetrics } from '../pipeline/metrics.js';

export interface SourceContext {
  readonly ingest: Ingest;
  readonly metrics: IngestMetrics;
  readonly log: Logger;
  readonly clock: Clock;
}

export interface Running {
  readonly id: string;
  /** Where it listens (the real port when 0 was asked). */
  readonly address: { readonly host: string; readonly port: number; readonly protocol: 'udp' | 'tcp' };
  /** Stops accepting and reading, pushes every byte already read into the ingest queue, closes. */
  stop(): Promise<void>;
}
