// What arrived (DESIGN §2 "Record"): the frame's bytes and where they came from, plus the envelope
// fields an envelope parser read from them. Isomorphic: no node:* imports, shared with web/.

/** 'internal': Countersign's own actions (retention pruning, later reviews), stored as records so they are tlog entries too. */
export const TRANSPORTS = ['udp', 'tcp', 'tls', 'relp', 'file', 'internal'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Stored as codes (indexes): append at the end, never reorder. */
/** 'countersign': an internal record; its msg is the action's canonical JSON. */
export const ENVELOPE_FORMATS = ['rfc5424', 'rfc3164', 'auditd', 'journald', 'countersign'] as const;
export type EnvelopeFormat = (typeof ENVELOPE_FORMATS)[number];

/** Why a frame could not be read as any envelope. A closed list: metrics and the UI count by it. */
/** Stored as codes (indexes): append new reasons at the end, never reorder. */
export const UNPARSED_REASONS = [
  'empty',
  'no-envelope', // nothing recognised the frame
  'bad-pri',
  'bad-version',
  'bad-timestamp',
  'bad-header',
  'bad-structured-data',
  'bad-json',
  'bad-audit-record',
  'frame-too-long', // the framer cut it at the configured maximum; the stored bytes are the kept prefix
  'incomplete-frame', // the connection ended or the server stopped inside a frame
  'pruned', // retention erased the payload; the SHA-256 and receipt stay, and a retention.prune entry says so
] as const;
export type UnparsedReason = (typeof UNPARSED_REASONS)[number];

/** How much of an envelope's time the sender really stated. May only grow at the end (stored as codes). */
export const TIME_QUALITIES = ['exact', 'inferred-year', 'inferred-zone', 'inferred-year-zone', 'unsynchronised'] as const;
export type TimeQuality = (typeof TIME_QUALITIES)[number];

/** One RFC 5424 SD-ELEMENT; params keep their order and may repeat a name. */
export interface SdElement {
  readonly id: string;
  readonly params: readonly (readonly [name: string, value: string])[];
}

/** The fields an envelope parser reads. Absent fields are undefined, never guessed. */
export interface Envelope {
  readonly format: EnvelopeFormat;
  readonly facility?: number;
  readonly severity?: number;
  /** When it happened, ms since the epoch UTC, as the sender stated it (zone/year inferred where the format lacks them). */
  readonly time?: number;
  /** How much of `time` the sender really said: 3164 lacks year and zone; Cisco marks unsynchronised clocks with `*`. */
  readonly timeQuality?: TimeQuality;
  readonly hostname?: string;
  readonly app?: string;
  readonly procid?: string;
  readonly msgid?: string;
  readonly structuredData?: readonly SdElement[];
  /** Device sequence number where the sender numbers its messages (Cisco `000123:`). */
  readonly deviceSeq?: number;
  /** The message text. For journald, MESSAGE; for auditd, the whole record line. */
  readonly msg: string;
  /** Format-specific extras that do not fit above (journald fields, audit type/serial). Flat strings only. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** A record as stored: the seq is its leaf index in the tlog (issue #4). */
export interface StoredRecord {
  readonly seq: number;
  readonly receivedAt: number;
  readonly transport: Transport;
  readonly peer: string;
  readonly peerIdentity: string | null;
  readonly raw: Uint8Array;
  readonly rawSha256: string;
  readonly kind: 'parsed' | 'unparsed';
  readonly unparsedReason: UnparsedReason | null;
  readonly envelope: Envelope | null;
}
