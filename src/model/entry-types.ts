// The types of tlog entries (DESIGN §5, STYLE "Audit entries are typed and stable"): dotted noun.verb,
// listed once, never renamed or reused. Isomorphic: shared with web/.
export const ENTRY_TYPES = [
  'record.receive', // a received record: its receipt and the SHA-256 of its bytes
  'review.approve',
  'review.flag',
  'review.resolve',
  'review.comment',
  'access.request',
  'access.approve',
  'grant.issue',
  'policy.change',
  'user.change',
  'retention.prune',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/**
 * The entry of a received record. Its leaf index in the tlog is the record's seq, so the entry does not
 * repeat it; the raw bytes are committed through their SHA-256, so pruning a payload keeps the leaf.
 */
export interface RecordEntry {
  readonly type: 'record.receive';
  readonly v: 1;
  readonly receivedAt: number;
  readonly transport: string;
  readonly peer: string;
  readonly peerIdentity: string | null;
  /** Lower-case hex. */
  readonly rawSha256: string;
}
