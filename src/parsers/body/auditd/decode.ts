// Field values of audit records → what they mean: hex-encoded strings (the kernel and libaudit encode
// any untrusted string holding a space, a quote or a control byte as upper-case hex), the "unset"
// markers (`?`, `(null)`, 4294967295), terminals, argv. Pure functions; never throw.
import type { AuditRecord, FieldValue } from './record-line.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Upper-case hex of whole bytes, as audit_log_n_hex and audit_encode_nv_string write it. */
export function isAuditHex(s: string): boolean {
  if (s.length < 2 || s.length % 2 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46))) return false;
  }
  return true;
}

export function hexBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const hexText = (s: string): string => utf8.decode(hexBytes(s));

/** A string field: `"…"` as is, hex decoded, `?` / `(null)` / empty as absent, anything else as logged. */
export function decodeValue(v: FieldValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.quoted) return v.text;
  if (v.text === '' || v.text === '?' || v.text === '(null)' || v.text === '(none)') return undefined;
  return isAuditHex(v.text) ? hexText(v.text) : v.text;
}

/** A field as logged (numbers, ids), absent when unset. */
export function rawValue(v: FieldValue | undefined): string | undefined {
  if (v === undefined || v.text === '' || v.text === '?' || v.text === '(null)' || v.text === '(none)') return undefined;
  return v.text;
}

export const str = (r: AuditRecord, key: string): string | undefined => decodeValue(r.fields.get(key));
export const raw = (r: AuditRecord, key: string): string | undefined => rawValue(r.fields.get(key));

/** An id field (auid, uid, ses): absent when "unset" (4294967295, -1, `unset`). */
export function idValue(r: AuditRecord, key: string): string | undefined {
  const v = raw(r, key);
  return v === undefined || v === '4294967295' || v === '-1' || v === 'unset' ? undefined : v;
}

/**
 * A user's name where the record says it: the ENRICHED section (AUID="alice"), or the field itself
 * when the log was already interpreted (`auid=vagrant`). Never guessed from a number.
 */
export function nameOf(r: AuditRecord, key: string): string | undefined {
  const e = decodeValue(r.enriched.get(key.toUpperCase()));
  if (e !== undefined) return e === 'unset' ? undefined : e;
  const v = idValue(r, key);
  return v !== undefined && !/^\d+$/.test(v) ? v : undefined;
}

/** `/dev/pts/0`, `pts/0`, `pts0` (the kernel's SYSCALL tty=) → 'pts/0'; `ssh`, `cron`, `?` → undefined. */
export function normalizeTty(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  let s = t.startsWith('/dev/') ? t.slice(5) : t;
  const m = /^pts(\d{1,7})$/.exec(s);
  if (m !== null) s = `pts/${m[1]}`;
  return /^(pts\/\d{1,7}|tty[A-Za-z0-9]{0,12}|console|hvc\d{1,4}|ttyS\d{1,4})$/.test(s) ? s : undefined;
}

/** TTY records name the terminal by device number: Unix98 pty slaves are majors 136–143, VTs major 4. */
export function ttyFromDevice(major: string | undefined, minor: string | undefined): string | undefined {
  if (major === undefined || minor === undefined || !/^\d{1,4}$/.test(major) || !/^\d{1,7}$/.test(minor)) return undefined;
  const ma = Number(major);
  const mi = Number(minor);
  if (ma >= 136 && ma <= 143) return `pts/${(ma - 136) * 256 + mi}`;
  if (ma === 4 && mi >= 1 && mi <= 63) return `tty${mi}`;
  if (ma === 4 && mi >= 64) return `ttyS${mi - 64}`;
  return undefined;
}

const SAFE_ARG = /^[A-Za-z0-9_\/.,:=@%+^-]+$/;

/** POSIX-shell quoting, only where needed, so the joined command reads as it was typed. */
export const quoteArg = (a: string): string => (a === '' ? "''" : SAFE_ARG.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);

export const joinArgv = (argv: readonly string[]): string => argv.map(quoteArg).join(' ');

/** PROCTITLE: the process's argv, NUL-separated when hex (the kernel keeps at most 128 bytes of it). */
export function proctitleArgv(v: FieldValue | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (v.quoted) return [v.text];
  if (!isAuditHex(v.text)) return v.text === '' ? undefined : [v.text];
  const parts = hexText(v.text).split('\0');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Basename of a path (`/usr/sbin/sshd` → 'sshd'). */
export const baseName = (p: string | undefined): string | undefined => (p === undefined ? undefined : p.slice(p.lastIndexOf('/') + 1));
