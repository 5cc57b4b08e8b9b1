// Injected identifiers. Nothing outside this file mints ids, so tests can predict them.
import { randomBytes } from 'node:crypto';

let nextConnKey = 1;

/** A process-unique number for one connection (or UDP sender, or imported file) as the ingest path sees it. */
export const newConnKey = (): number => nextConnKey++;

/** The name of a new log (its checkpoints' origin and its key's name): unique per data directory. */
export const newLogName = (host: string): string => `countersign/${host.replace(/[^A-Za-z0-9.-]/g, '-') || 'host'}/${randomBytes(6).toString('hex')}`;

/** A GELF chunked message's id (8 bytes): Graylog reassembles the chunks that share it. */
export const newGelfMessageId = (): Buffer => randomBytes(8);
