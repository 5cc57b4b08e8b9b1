// Wall-clock time in an IANA zone → UTC, for timestamps that carry no offset (RFC 3164, Cisco without
// a known zone). Uses Intl.DateTimeFormat only (no dependency) and caches offsets per half-hour of local
// time, so the slow formatToParts call runs about once per zone per half hour. Never throws on bad zones.

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'UCT', 'Etc/UCT', 'Universal', 'Etc/Universal', 'Zulu', 'Etc/Zulu', 'GMT0', 'Etc/GMT0']);

interface ZoneEntry {
  /** null when the runtime does not know the zone: we then read wall clock as UTC. */
  readonly fmt: Intl.DateTimeFormat | null;
  /** local half-hour bucket → offset in ms (local = utc + offset). */
  readonly offsets: Map<number, number>;
}

const zones = new Map<string, ZoneEntry>();
const BUCKET_MS = 1_800_000; // every real-world DST rule switches on a whole or half hour of local time
const MAX_CACHED_BUCKETS = 8192;

function makeFormatter(zone: string): Intl.DateTimeFormat | null {
  // The constructor throws RangeError for an unknown zone name. This is a configuration value checked
  // once per zone (then cached), not per-message control flow; a bad zone must not take the receiver down.
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
}

function entryFor(zone: string): ZoneEntry {
  let e = zones.get(zone);
  if (e === undefined) {
    e = { fmt: makeFormatter(zone), offsets: new Map() };
    zones.set(zone, e);
  }
  return e;
}

/** True if timestamps in `zone` are read as UTC (the zone is UTC, or unknown to the runtime). */
export function isUtcZone(zone: string): boolean {
  return UTC_NAMES.has(zone) || entryFor(zone).fmt === null;
}

/** True if the runtime knows `zone` (config validation can use this too). */
export function isKnownZone(zone: string): boolean {
  return UTC_NAMES.has(zone) || entryFor(zone).fmt !== null;
}

/** Offset (ms) of `zone` at the UTC instant `utcMs`: local wall clock minus UTC. */
function offsetAt(fmt: Intl.DateTimeFormat, utcMs: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const part of fmt.formatToParts(utcMs)) {
    switch (part.type) {
      case 'year': y = Number(part.value); break;
      case 'month': mo = Number(part.value); break;
      case 'day': d = Number(part.value); break;
      case 'hour': h = Number(part.value) % 24; break;
      case 'minute': mi = Number(part.value); break;
      case 'second': s = Number(part.value); break;
      default: break;
    }
  }
  const local = Date.UTC(y, mo - 1, d, h, mi, s); // years here are the current era, never 0..99
  return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant whose wall clock in `zone` reads `localMs` (wall-clock fields encoded as if UTC).
 * In a DST gap (a local time that never happened) the offset from before the switch is used, so the
 * result lands just after the gap; in the repeated hour either occurrence may be returned.
 */
export function zonedToUtc(zone: string, localMs: number): number {
  if (UTC_NAMES.has(zone)) return localMs;
  const e = entryFor(zone);
  if (e.fmt === null) return localMs;
  const bucket = Math.floor(localMs / BUCKET_MS);
  const cached = e.offsets.get(bucket);
  if (cached !== undefined) return localMs - cached;
  const off1 = offsetAt(e.fmt, localMs);
  const off2 = offsetAt(e.fmt, localMs - off1);
  let off = off2;
  if (off1 !== off2) {
    const off3 = offsetAt(e.fmt, localMs - off2);
    off = off3 === off2 ? off2 : Math.min(off1, off2);
  }
  if (e.offsets.size >= MAX_CACHED_BUCKETS) e.offsets.clear();
  e.offsets.set(bucket, off);
  return localMs - off;
}

/**
 * Zone abbreviations devices print after the time (Cisco `service timestamps ... show-timezone`), in
 * minutes east of UTC. Only unambiguous ones: CST, IST, BST, AST... mean different zones in different
 * places, so they (and operator-invented names like `mng`) fall back to the configured zone.
 */
const ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
  ['UTC', 0], ['GMT', 0], ['UT', 0], ['WET', 0], ['WEST', 60], ['CET', 60], ['CEST', 120], ['MET', 60],
  ['MEST', 120], ['EET', 120], ['EEST', 180], ['MSK', 180], ['HKT', 480], ['SGT', 480], ['AWST', 480],
  ['JST', 540], ['KST', 540], ['ACST', 570], ['ACDT', 630], ['AEST', 600], ['AEDT', 660], ['NZST', 720],
  ['NZDT', 780], ['NST', -210], ['NDT', -150], ['EST', -300], ['EDT', -240], ['CDT', -300], ['MST', -420],
  ['MDT', -360], ['PST', -480], ['PDT', -420], ['AKST', -540], ['AKDT', -480], ['HST', -600],
]);

/** Minutes east of UTC for a known abbreviation (any case), else undefined. */
export function zoneAbbreviationOffset(abbr: string): number | undefined {
  return ZONE_ABBREVIATIONS.get(abbr.toUpperCase());
}
