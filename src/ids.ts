// Injected identifiers. Nothing outside this file mints ids, so tests can predict them.

let nextConnKey = 1;

/** A process-unique number for one connection (or UDP sender, or imported file) as the ingest path sees it. */
export const newConnKey = (): number => nextConnKey++;
