// Countersign's own Prometheus metrics, rendered as text exposition format 0.0.4. Tiny on purpose:
// counters, gauges and one histogram kind, labels as ordered pairs, no dependency.
type Labels = Readonly<Record<string, string>>;

const labelText = (l: Labels): string => {
  const keys = Object.keys(l);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${l[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

export class Counter implements Family {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelText(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }
  /** A series with its labels resolved once, for hot paths that count per frame. */
  bind(labels: Labels): (by?: number) => void {
    const k = labelText(labels);
    if (!this.values.has(k)) this.values.set(k, 0);
    return (by = 1) => {
      this.values.set(k, this.values.get(k)! + by);
    };
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k} ${v}`);
  }
}

export class Gauge implements Family {
  readonly type = 'gauge';
  private readonly values = new Map<string, () => number>();
  constructor(readonly name: string, readonly help: string) {}
  set(labels: Labels, fn: () => number): void {
    this.values.set(labelText(labels), fn);
  }
  render(): string[] {
    return [...this.values].map(([k, fn]) => `${this.name}${k} ${fn()}`);
  }
}

export class Histogram implements Family {
  readonly type = 'histogram';
  private readonly counts: number[];
  private sum = 0;
  private n = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.n++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
  render(): string[] {
    return [
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.n}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.n}`,
    ];
  }
}

export class Registry {
  private readonly families: Family[] = [];
  add<F extends Family>(f: F): F {
    this.families.push(f);
    return f;
  }
  render(): string {
    const out: string[] = [];
    for (const f of this.families) {
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.render());
    }
    return out.join('\n') + '\n';
  }
}

/** The metrics of the ingest path; one instance per process. */
export const ingestMetrics = () => {
  const registry = new Registry();
  return {
    registry,
    received: registry.add(new Counter('countersign_records_received_total', 'Frames received, by transport.')),
    stored: registry.add(new Counter('countersign_records_stored_total', 'Records committed to the store, by transport and kind (parsed, unparsed).')),
    unparsed: registry.add(new Counter('countersign_records_unparsed_total', 'Records stored as unparsed, by transport and reason.')),
    rejected: registry.add(new Counter('countersign_records_rejected_total', 'Frames or datagrams not stored, counted instead, by transport and reason (udp queue-full is a UDP drop).')),
    connections: registry.add(new Counter('countersign_connections_total', 'Connections by transport and outcome (accepted, refused-max, tls-handshake-failed, framing-error, protocol-error).')),
    gauges: registry.add(new Gauge('countersign_ingest', 'Ingest state: queue_bytes, queue_records, open_connections, overloaded, streams_held, last_seq, last_commit_unix_seconds (0 before the first), wal_frames (in the WAL at the last checkpoint), wal_checkpoint_busy, udp_kernel_drops, relp_unacked, relp_window.')),
    derive: registry.add(new Gauge('countersign_derive', 'Sessions stage: cursor (last record seq derived), lag_records (stored but not yet derived), open_sessions.')),
    tlog: registry.add(new Gauge('countersign_tlog', 'Tamper-evident log: tree_size, checkpoint_size (latest signed), checkpoint_age_seconds, witnesses (configured).')),
    commitSeconds: registry.add(
      new Histogram('countersign_store_commit_seconds', 'Time to parse, hash and commit one batch.', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
    ),
    walCheckpointSeconds: registry.add(
      new Histogram('countersign_store_wal_checkpoint_seconds', 'Time of one WAL checkpoint (copying committed pages into the database file), on its own thread.', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
    ),
  };
};
export type IngestMetrics = ReturnType<typeof ingestMetrics>;
