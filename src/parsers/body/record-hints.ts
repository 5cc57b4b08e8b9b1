// Session hints that any syslog or journald record carries by itself, whatever its program: the
// logging process's pid, the terminal, and journald's audit and logind session ids. Shared by parsers
// of programs that log no connection of their own (sudo, su).
import type { SessionHints } from '../../model/event.js';
import type { BodyInput } from './types.js';

/** `/dev/pts/0` → `pts/0`; empty, `unknown`, `(unknown)`, `none` and `???` mean no terminal. */
export function normalizeTty(tty: string | undefined): string | undefined {
  if (tty === undefined) return undefined;
  const t = tty.startsWith('/dev/') ? tty.slice(5) : tty;
  return t === '' || t === 'unknown' || t === '(unknown)' || t === 'none' || t === '???' ? undefined : t;
}

export function recordHints(input: BodyInput, tty: string | undefined): SessionHints {
  const env = input.envelope;
  const audit = env.extra?._AUDIT_SESSION;
  const logind = env.extra?._SYSTEMD_SESSION;
  return {
    ...(env.procid !== undefined && env.procid !== '' ? { pid: env.procid } : {}),
    ...(tty !== undefined ? { tty } : {}),
    ...(audit !== undefined && audit !== '' && audit !== '4294967295' ? { auditSession: audit } : {}),
    ...(logind !== undefined && logind !== '' ? { logindSession: logind } : {}),
  };
}
