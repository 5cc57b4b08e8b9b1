// tac_plus accounting records (Shrubbery/Cisco tac_plus, Marc Huber's tac_plus / tac_plus-ng) → login,
// logout, command, config_change and commit events of the network device (the NAS) that sent them.
//
// A record is TAB-separated, as tac_plus's do_acct_file() writes it:
//   TIMESTAMP \t NAS \t USER \t PORT \t REM_ADDR \t start|stop|update \t AV \t AV …
// where each AV is `name=value` (mandatory) or `name*value` (optional; JunOS sends `process*mgd[PID]`).
// The rfc3164 envelope reads TIMESTAMP and its TAB (BSD `Sep 24 16:08:12`, ctime(3) `Thu Jul 13
// 13:35:28 1995`, `2020-07-17 17:41:26 +0000`) and hands over the rest as msg; where a field is still in
// front of NAS (a relay that kept the timestamp in the message), the record type is found one field
// later. Records carry no program tag, so `claims()` recognises them by that shape. Marc Huber's access
// log shares the first five fields and ends in `ascii login succeeded|failed`; those are read too.
// tac_plus's `accounting syslog` output (tag tac_plus, fields joined by four spaces) is read under its
// program names.
//
// Host: the record is written (or relayed) by the TACACS+ server but is about the NAS, the device the
// operator was on, so every event's host is the NAS (also kept as detail.nas); input.host, the server,
// names no session.
//
// Sessions: tac_plus task_ids do not identify a session. Cisco IOS numbers every accounting request
// from one per-device counter (an exec's start and stop share one; each command has its own), JunOS
// and SR Linux count per session from 1, and a JunOS session's logout carries yet another. A task_id
// would merge unrelated sessions of one device, and tacacsTaskId outranks devicePid in the sessionizer,
// so it is never set: the task id is detail.taskId, and the session is keyed by hints.devicePid =
// "NAS USER PORT REM_ADDR" (plus the JunOS mgd pid, the device's own session id, where the record names
// it). Not `tty` alone either: IOS reuses a port such as "tty2" for the next login.
//
// Stateful (one instance per pipeline, from the factory): a command accounted both at start and at
// stop (start-stop accounting) becomes one event, at its start; and a session's configuration mode
// is followed so that the lines typed in it are config_change events (see configKind).
import type { Event, EventKind } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'tacacs';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;
const PROGRAMS = ['tac_plus', 'tac_plus-ng'] as const;

const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/** Record types as tac_plus writes them (`update` is a TACACS+ watchdog; tac_plus-ng may say `watchdog`). */
const ACCT_TYPES = new Set(['start', 'stop', 'update', 'watchdog']);
/** Services that are an operator's shell on the device; ppp, slip, arap, system… carry no session. */
const SHELL_SERVICES = new Set(['shell', 'exec']);
/** Held state is bounded: a pipeline that never sees the stops must not grow without end. */
const MAX_HELD = 4096;

/** One record's fields, split and located. */
interface Rec {
  readonly nas: string;
  readonly user: string;
  readonly port: string;
  readonly remAddr: string;
  /** start | stop | update | watchdog, or the access-log result ("ascii login succeeded"). */
  readonly type: string;
  /** AV pairs in order; the first of a repeated name wins in `av`. */
  readonly av: ReadonlyMap<string, string>;
}

/**
 * Splits msg into fields (TAB, or four spaces for tac_plus's syslog output) and finds the record type:
 * at field 4, or at field 5 when one leftover field (a timestamp or its zone) precedes the NAS.
 */
function readRecord(msg: string, syslogForm: boolean): Rec | undefined {
  const sep = msg.includes('\t') ? '\t' : syslogForm ? '    ' : undefined;
  if (sep === undefined) return undefined;
  const f = msg.split(sep);
  if (f.length < 5) return undefined;
  let at = -1;
  for (const i of [4, 5]) {
    const t = f[i];
    if (t === undefined) continue;
    if ((ACCT_TYPES.has(t) && (f[i + 1] ?? '').startsWith('task_id')) || isAccessResult(t)) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  const o = at - 4;
  const av = new Map<string, string>();
  for (let i = at + 1; i < f.length; i++) {
    const pair = f[i]!;
    let s = -1;
    for (let j = 0; j < pair.length; j++) {
      const c = pair.charCodeAt(j);
      if (c === 0x3d /* = */ || c === 0x2a /* * */) {
        s = j;
        break;
      }
    }
    if (s <= 0) continue;
    // JunOS scripts have been seen to send "session_pid = 46420": names and values are trimmed.
    const name = pair.slice(0, s).trim();
    if (name !== '' && !av.has(name)) av.set(name, pair.slice(s + 1).trim());
  }
  const nas = f[o]!.trim();
  if (nas === '') return undefined;
  return { nas, user: f[o + 1]!.trim(), port: f[o + 2]!.trim(), remAddr: f[o + 3]!.trim(), type: f[at]!, av };
}

/** Marc Huber's access-log tail: "ascii login succeeded", "pap login failed", "enable login succeeded". */
function isAccessResult(t: string): boolean {
  return (t.endsWith(' login succeeded') || t.endsWith(' login failed')) && t.length < 64;
}

/** A cheap look before splitting: a TAB and either an accounting task_id or an access-log result. */
const looksLikeRecord = (msg: string): boolean =>
  msg.includes('\t') && (msg.includes('\ttask_id') || msg.includes(' login succeeded') || msg.includes(' login failed'));

/** tac_plus writes "unknown" for a field the NAS left empty. */
const known = (v: string): string | undefined => (v === '' || v === 'unknown' ? undefined : v);

/** An address or host name worth showing as Event.remote: not "async", "unknown" or "Unknown host - non-tty". */
const remoteOf = (v: string): string | undefined => (v === '' || v === 'unknown' || v === 'async' || v.includes(' ') ? undefined : v);

/** `process*mgd[7741]` → "7741". */
function mgdPid(av: ReadonlyMap<string, string>): string | undefined {
  const p = av.get('process');
  if (p === undefined || !p.startsWith('mgd[') || !p.endsWith(']')) return undefined;
  const pid = p.slice(4, -1);
  return pid !== '' && pid.length <= 10 && /^[0-9]+$/.test(pid) ? pid : undefined;
}

/** IOS and JunOS end an accounted command with " <cr>"; JunOS change-log lines end in a space. */
function commandText(cmd: string): string {
  let c = cmd.trimEnd();
  if (c.endsWith(' <cr>')) c = c.slice(0, -5).trimEnd();
  else if (c === '<cr>') c = '';
  return c;
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '' || v.length > 20) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const firstWord = (c: string): string => {
  const sp = c.indexOf(' ');
  return (sp < 0 ? c : c.slice(0, sp)).toLowerCase();
};

/** "conf", "config", "configure" … (IOS and JunOS accept abbreviations of at least four letters). */
const isConfigure = (w: string): boolean => w.length >= 4 && 'configure'.startsWith(w);

/** Commands in configuration mode that do not change the configuration. */
const CONFIG_MODE_READS = new Set(['do', 'show', 'run', 'top', 'up', 'edit', 'help', 'status', 'compare', 'history', 'info', 'diff', 'tree', 'pwc', 'back']);
/** Commands that leave configuration mode (IOS `end`, JunOS/SR Linux `exit`, `quit`). */
const CONFIG_MODE_EXITS = new Set(['end', 'exit', 'quit', 'logout']);

/** JunOS change-log accounting ("set: [system …]", "delete: […]", "rollback: /config/…"): the change itself. */
function changeLogVerb(c: string): string | undefined {
  const colon = c.indexOf(': ');
  if (colon <= 0 || colon > 16) return undefined;
  const verb = c.slice(0, colon);
  return /^[a-z]+$/.test(verb) ? verb : undefined;
}

type Detail = Record<string, string | number | boolean>;

class TacacsParser implements BodyParser {
  readonly id = ID;
  readonly version = VERSION;
  readonly programs: readonly string[] = PROGRAMS;
  /** Commands seen at their start record: "devicePid\0task_id\0cmd", so the matching stop is not a second event. */
  private readonly started = new Set<string>();
  /** Sessions (by devicePid) whose last `configure` has not yet been left. */
  private readonly inConfig = new Set<string>();

  claims(input: BodyInput): boolean {
    const app = input.envelope.app;
    if (app !== undefined && (PROGRAMS as readonly string[]).includes(app)) return false; // dispatched by program
    const msg = input.envelope.msg;
    return looksLikeRecord(msg) && readRecord(msg, false) !== undefined;
  }

  parse(input: BodyInput): ParseOutcome {
    const msg = input.envelope.msg.trimEnd();
    const app = input.envelope.app;
    const byProgram = app !== undefined && (PROGRAMS as readonly string[]).includes(app);
    if (!byProgram && !looksLikeRecord(msg)) return NOT_MINE;
    const rec = readRecord(msg, byProgram);
    if (rec === undefined) return byProgram ? unknown(msg) : NOT_MINE;
    return this.events(input, rec, msg);
  }

  private events(input: BodyInput, rec: Rec, msg: string): ParseOutcome {
    const mgd = mgdPid(rec.av);
    const devicePid = `${rec.nas} ${rec.user} ${rec.port} ${rec.remAddr}${mgd !== undefined ? ` mgd[${mgd}]` : ''}`;
    const detail: Detail = { nas: rec.nas, port: rec.port, remAddr: rec.remAddr, deviceType: mgd !== undefined ? 'junos' : 'network' };
    const user = known(rec.user);
    const remote = remoteOf(rec.remAddr);
    const make = (kind: EventKind, action: string, extra: Partial<Event> = {}): Event => ({
      seq: input.seq,
      time: input.time,
      host: rec.nas,
      kind,
      action,
      ...(user !== undefined ? { user } : {}),
      ...(remote !== undefined ? { remote } : {}),
      hints: { devicePid },
      parser: PARSER,
      ...extra,
      detail,
    });
    const one = (e: Event): ParseOutcome => ({ kind: 'events', events: [e] });

    if (isAccessResult(rec.type)) {
      // Marc Huber's access log: "<authen type> login succeeded|failed".
      const authenType = rec.type.slice(0, rec.type.indexOf(' '));
      detail.authenType = authenType;
      const ok = rec.type.endsWith(' succeeded');
      if (authenType === 'enable') return one(make(ok ? 'privilege' : 'privilege_failed', ok ? 'enable' : 'enable-failed', ok ? {} : { reason: 'enable failed' }));
      this.inConfig.delete(devicePid);
      return one(make(ok ? 'login' : 'login_failed', ok ? 'authen-succeeded' : 'authen-failed', ok ? {} : { reason: `${authenType} login failed` }));
    }

    const taskId = rec.av.get('task_id') ?? '';
    if (taskId === '') return malformed(msg);
    detail.taskId = taskId;
    detail.acctType = rec.type;
    const service = rec.av.get('service');
    if (service !== undefined) detail.service = service;
    const rawCmd = rec.av.get('cmd');
    // ppp/slip/arap/system/none records are not an operator's session on the device (a `system`
    // record is the NAS's own accounting, e.g. a reload; it is not read as one here).
    if (service !== undefined ? !SHELL_SERVICES.has(service) : rawCmd === undefined) return NONE;
    for (const [name, key] of [
      ['priv-lvl', 'privLvl'],
      ['priv_lvl', 'privLvl'],
      ['elapsed_time', 'elapsedTime'],
      ['start_time', 'startTime'],
      ['stop_time', 'stopTime'],
    ] as const) {
      const n = num(rec.av.get(name));
      if (n !== undefined && detail[key] === undefined) detail[key] = n;
    }
    const tz = rec.av.get('timezone');
    if (tz !== undefined && tz !== '') detail.timezone = tz;
    if (mgd !== undefined) detail.mgdPid = mgd;
    const cmd = rawCmd === undefined ? '' : commandText(rawCmd);

    // Exec accounting: a start without a command opens the session, the stop (elapsed_time) ends it.
    // JunOS says so in words: start cmd=login, stop cmd=logout.
    if (cmd === '' || (cmd === 'login' && rec.type === 'start') || (cmd === 'logout' && rec.type === 'stop')) {
      if (rec.type === 'start') {
        this.inConfig.delete(devicePid);
        return one(make('login', 'exec-start'));
      }
      if (rec.type === 'stop') {
        this.inConfig.delete(devicePid);
        return one(make('logout', 'exec-stop'));
      }
      return NONE; // a watchdog/update of the exec: the session is already open
    }

    const startKey = `${devicePid}\0${taskId}\0${cmd}`;
    if (rec.type === 'stop' && this.started.delete(startKey)) return NONE; // its start was the event
    if (rec.type === 'start') {
      if (this.started.size >= MAX_HELD) this.started.delete(this.started.values().next().value!);
      this.started.add(startKey);
    }
    const [kind, action] = this.configKind(devicePid, cmd, detail);
    return one(make(kind, action, { command: cmd }));
  }

  /**
   * What a command is. Stated by the record: JunOS change-log lines ("set: […]") are config_change,
   * `commit …` is a commit (`commit check` is not). Otherwise by the session's mode: `configure …` (IOS,
   * JunOS; SR Linux `enter candidate`) enters configuration mode, and what is typed there is config_change
   * except what only reads or navigates (`do`, `show`, `top` …). The records do not say which `exit` leaves a
   * sub-mode and which leaves configuration mode, so any `exit`, `end` or `quit` ends it: config lines
   * typed after an `exit` from a sub-mode are plain commands (the text is kept; only the kind is lost),
   * never exec commands mislabelled as changes.
   */
  private configKind(devicePid: string, cmd: string, detail: Detail): [EventKind, string] {
    const verb = changeLogVerb(cmd);
    if (verb !== undefined) return ['config_change', `change-log-${verb}`];
    const w = firstWord(cmd);
    // JunOS `commit check` only validates the candidate: a command, not a commit.
    if (w === 'commit') return cmd.toLowerCase().startsWith('commit check') ? ['command', 'commit-check'] : ['commit', 'commit'];
    if (isConfigure(w) || cmd.toLowerCase().startsWith('enter candidate')) {
      if (this.inConfig.size >= MAX_HELD) this.inConfig.delete(this.inConfig.values().next().value!);
      this.inConfig.add(devicePid);
      detail.configMode = 'enter';
      return ['command', 'configure'];
    }
    if (!this.inConfig.has(devicePid)) return ['command', 'command'];
    if (CONFIG_MODE_EXITS.has(w)) {
      this.inConfig.delete(devicePid);
      detail.configMode = 'leave';
      return ['command', 'command'];
    }
    detail.configMode = true;
    return CONFIG_MODE_READS.has(w) ? ['command', 'command'] : ['config_change', 'config-line'];
  }
}

export const tacacs: BodyParserFactory = () => new TacacsParser();
