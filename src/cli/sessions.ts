// `countersign sessions` and `countersign session show`: operator sessions as tables for people or JSON
// for tools (shapes in src/api/sessions/schema.ts, documented in docs/cli.md). Everything printed from
// a log goes through escapeControls or JSON escaping: log content is hostile.
import { loadConfig } from '../config/load.js';
import { escapeControls } from '../model/escape.js';
import type { Session, SessionStatus } from '../model/session.js';
import type { SessionEvent, SessionView } from '../model/session-view.js';
import { loadRuleSet } from '../rules/load.js';
import { presentEvent, presentSession } from '../api/sessions/presenter.js';
import { sessionAsciicast } from '../api/sessions/recording.js';
import { CS_ERR } from '../errors.js';
import { openSessionReader, prepareStore } from '../store/index.js';

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
const dur = (s: Session): string => {
  const ms = (s.endedAt ?? s.lastActivity) - s.startedAt;
  const m = Math.floor(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
};
const e = (s: string | null): string => (s === null ? '-' : escapeControls(s));

export interface SessionsOptions {
  config?: string;
  data?: string;
  json?: boolean;
  host?: string;
  user?: string;
  open?: boolean;
  closed?: boolean;
  limit: number;
}

const openReader = async (o: { config?: string; data?: string }) => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  await prepareStore(config.dataDir); // an older store gets the sessions tables
  // The configured rules name the hits (titles, why); refused ones are the server's to report.
  const rules = loadRuleSet(config.rules).set.catalogue();
  return { reader: openSessionReader(config.dataDir, { rules }), rules };
};

const risk = (s: SessionView): string => (s.risk.level === 'none' ? '-' : `${s.risk.level} ${s.risk.score}`);

export const runSessions = async (o: SessionsOptions): Promise<void> => {
  if (o.open && o.closed) throw CS_ERR.badArgument('--open and --closed exclude each other');
  const status: SessionStatus | undefined = o.open ? 'open' : o.closed ? 'closed' : undefined;
  const { reader } = await openReader(o);
  try {
    const rows = await reader.list({ limit: o.limit, ...(o.host !== undefined ? { host: o.host } : {}), ...(o.user !== undefined ? { user: o.user } : {}), ...(status ? { status } : {}) });
    if (o.json) {
      process.stdout.write(`${JSON.stringify(rows.map(presentSession), null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('no sessions\n');
      return;
    }
    process.stdout.write('ID\tHOST\tDEVICE\tUSER\tFROM\tSTARTED\tDURATION\tSTATUS\tRISK\tCOMMANDS\tEVENTS\n');
    for (const s of rows) {
      const status = s.status === 'open' ? 'open' : `closed (${s.closeReason})`;
      const weak = s.weakCount > 0 ? ` (${s.weakCount} weak)` : '';
      process.stdout.write(`${s.id}\t${e(s.host)}\t${e(s.deviceType)}\t${e(s.user)}\t${e(s.origin)}\t${when(s.startedAt)}\t${dur(s)}\t${status}\t${risk(s)}\t${s.commandCount}\t${s.eventCount}${weak}\n`);
    }
  } finally {
    await reader.close();
  }
};

const eventLine = (ev: SessionEvent): string => {
  const mark = ev.link === 'weak' ? '~' : ' ';
  const as = ev.effectiveUser !== null && ev.user !== null && ev.effectiveUser !== ev.user ? `${e(ev.user)}→${e(ev.effectiveUser)}` : e(ev.user ?? ev.effectiveUser);
  const what = ev.command ?? ev.reason ?? ev.action ?? '';
  const where = [ev.tty, ev.cwd].filter((x) => x !== null).map((x) => e(x)).join(' ');
  const weak = ev.link === 'weak' ? `   [weak link: ${e(ev.why)}]` : '';
  const hits = ev.hits.length > 0 ? `   ! ${ev.hits.join(', ')}` : '';
  return `${mark} ${when(ev.time)}  ${ev.kind.padEnd(16)} ${as.padEnd(14)} ${where.padEnd(20)} ${escapeControls(what)}${weak}${hits}`;
};

export const runSessionShow = async (idText: string, o: { config?: string; data?: string; json?: boolean; recording?: boolean }): Promise<void> => {
  const id = Number(idText);
  if (!Number.isSafeInteger(id)) throw CS_ERR.badArgument(`session id: expected a number, got ${idText}`);
  const { reader, rules } = await openReader(o);
  try {
    const d = await reader.get(id);
    if (d === null) throw CS_ERR.notFound(`no session ${id}`);
    if (o.recording) {
      const cast = sessionAsciicast(d);
      if (cast === null) throw CS_ERR.notFound(`session ${id} has no terminal recording`);
      process.stdout.write(cast);
      return;
    }
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ session: presentSession(d.session), events: d.events.map(presentEvent) }, null, 2)}\n`);
      return;
    }
    const s = d.session;
    const auth = s.auth === null ? '' : ` by ${s.auth.method}${s.auth.keyType !== undefined ? ` ${s.auth.keyType}` : ''}${s.auth.fingerprint !== undefined ? ` ${s.auth.fingerprint}` : ''}`;
    process.stdout.write(`session ${s.id}: ${e(s.user)} on ${e(s.host)} from ${e(s.origin)}${s.originPort !== null ? ` port ${s.originPort}` : ''}${escapeControls(auth)}\n`);
    process.stdout.write(`  ${when(s.startedAt)} → ${s.status === 'open' ? 'still open' : `${when(s.endedAt)} (${s.closeReason})`}, ${dur(s)}, ${s.commandCount} commands, ${s.privilegeCount} privilege steps, ${s.eventCount} events${s.weakCount > 0 ? `, ${s.weakCount} weakly linked (~)` : ''}\n\n`);
    if (s.risk.hits.length > 0) {
      // Each rule once, at its first record, with why it matters; the timeline marks every event that hit (!).
      process.stdout.write(`risk: ${s.risk.level}, score ${s.risk.score}\n`);
      const firstOf = new Map<string, (typeof s.risk.hits)[number]>();
      for (const h of s.risk.hits) if (!firstOf.has(h.rule)) firstOf.set(h.rule, h);
      for (const h of firstOf.values()) {
        const n = s.risk.hits.filter((x) => x.rule === h.rule).length;
        process.stdout.write(`  ${h.level.padEnd(13)} ${h.rule}: ${escapeControls(h.title)} (record ${h.seq}${n > 1 ? `, ${n} records` : ''})\n`);
        const why = rules.get(h.rule)?.why;
        if (why !== undefined) process.stdout.write(`                why: ${escapeControls(why)}\n`);
      }
      process.stdout.write('\n');
    } else process.stdout.write('risk: none (no rule hit)\n\n');
    for (const ev of d.events) process.stdout.write(`${eventLine(ev)}\n`);
  } finally {
    await reader.close();
  }
};
