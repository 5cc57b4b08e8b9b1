// The body-parser stage: a stored record's message → normalized events (DESIGN §3).
// A body parser never throws, never does I/O, never reads the clock: everything it needs is in its input.
import type { Event } from '../../model/event.js';
import type { Envelope } from '../../model/record.js';

/** What a body parser is given: one stored, envelope-parsed record. */
export interface BodyInput {
  readonly seq: number;
  /** The envelope's time, else the receive time, ms since the epoch UTC. */
  readonly time: number;
  /**
   * The envelope hostname, else the import --host, else the peer address. An event's host is usually
   * this; a parser reading a relayed record (TACACS+ accounting, auditd `node=`, sudo_logsrvd) names
   * the device the record is about instead (the NAS, the audited node, the sudo client).
   */
  readonly host: string;
  readonly envelope: Envelope;
}

/** Why a record that a parser recognised as its program's could not be read. A closed list, counted per parser. */
export const BODY_UNPARSED_REASONS = ['unknown-message', 'malformed', 'bad-encoding', 'orphan'] as const;
export type BodyUnparsedReason = (typeof BODY_UNPARSED_REASONS)[number];

export type ParseOutcome =
  /** Not this parser's record: the registry tries the next. */
  | { readonly kind: 'not-mine' }
  /** Recognised and read: zero events means a known message that carries nothing for sessions ("Server listening on …"). */
  | { readonly kind: 'events'; readonly events: readonly Event[] }
  /** Recognised and held: a multi-record event waits for its other records (auditd serials); `flush` releases it. */
  | { readonly kind: 'pending' }
  /** The program's record, but not a shape this parser reads. Counted per parser and stored as an `unparsed` event. */
  | { readonly kind: 'unparsed'; readonly reason: BodyUnparsedReason; readonly message: string };

export interface BodyParser {
  /** Component id, kebab-case, as in the registry and in Event.parser before the '@'. */
  readonly id: string;
  readonly version: number;
  /** Envelope `app` names this parser reads (compared exactly, case-sensitive), e.g. ['sshd']. */
  readonly programs: readonly string[];
  /**
   * Optional look at records of any program: claims the record before program dispatch
   * (pam_* lines logged under sshd/sudo/su; audit records forwarded under any tag). Must be cheap.
   */
  claims?(input: BodyInput): boolean;
  parse(input: BodyInput): ParseOutcome;
  /**
   * For parsers that hold records (auditd): releases what is complete or has waited long enough.
   * `now` is the newest record time seen (ms); `all` releases everything (end of an import, shutdown).
   */
  flush?(now: number, all: boolean): readonly Event[];
}

/**
 * Parsers that keep state between records (auditd) are made per pipeline through a factory;
 * stateless parsers are their own factory's result.
 */
export type BodyParserFactory = () => BodyParser;
