// sudo 1.9's JSON event log (`Defaults log_format=json`): reads the syslog form
// `@cee:{"sudo":{"accept":{…}}}` and the plain objects sudo_logsrvd and the I/O log keep
// (`{"accept":{…}}`, or the bare event `{"submituser":…, "command":…}`). Only picks out typed fields;
// sudo.ts decides what they mean. Never throws (JSON.parse's SyntaxError is caught here).
//
// Field names and event types from sudo's lib/eventlog/eventlog.c (format_json, eventlog_store_json):
// accept/reject carry submit_time, alert carries alert_time and a reason, exit carries exit_value,
// signal and dumped_core and, when it has a uuid, no other details (the accept with that uuid has them).

export const JSON_EVENT_TYPES = ['accept', 'reject', 'alert', 'exit'] as const;
export type JsonEventType = (typeof JSON_EVENT_TYPES)[number];

export interface SudoJsonEvent {
  /** 'accept' also for a bare event object (an I/O log's log.json names no type: it was run). */
  readonly type: JsonEventType;
  readonly bare: boolean;
  readonly uuid?: string;
  readonly reason?: string;
  readonly submitUser?: string;
  readonly submitHost?: string;
  readonly submitCwd?: string;
  readonly runUser?: string;
  readonly runGroup?: string;
  readonly runChroot?: string;
  readonly runCwd?: string;
  readonly ttyName?: string;
  readonly command?: string;
  readonly runArgv?: readonly string[];
  readonly source?: string;
  readonly peerAddr?: string;
  readonly iologPath?: string;
  /** ms since the epoch, from `server_time` {seconds, nanoseconds}. */
  readonly serverTime?: number;
  readonly exitValue?: number;
  readonly signal?: string;
  readonly dumpedCore?: boolean;
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string): string | undefined => {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
};
const num = (o: Obj, k: string): number | undefined => {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const strings = (o: Obj, k: string): string[] | undefined => {
  const v = o[k];
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
};
const timeMs = (o: Obj, k: string): number | undefined => {
  const t = o[k];
  if (!isObj(t)) return undefined;
  const s = num(t, 'seconds');
  if (s === undefined) return undefined;
  const ms = s * 1000 + Math.floor((num(t, 'nanoseconds') ?? 0) / 1e6);
  return Number.isSafeInteger(ms) ? ms : undefined;
};

const CEE = '@cee:';

/** True when the message is meant as sudo JSON (so a parse failure is 'malformed', not someone else's). */
export function looksLikeJson(msg: string): boolean {
  let i = 0;
  while (i < msg.length && msg.charCodeAt(i) === 0x20) i++;
  return msg.startsWith(CEE, i) || msg.charCodeAt(i) === 0x7b; // '{'
}

export type JsonScan = { readonly ok: true; readonly event: SudoJsonEvent } | { readonly ok: false; readonly why: string };

/** sudo's events nest 4 deep (sudo → accept → server_time → seconds); much deeper is not sudo's. */
const MAX_DEPTH = 16;

/** True when no object or array nests deeper than `max` (checked before JSON.parse, which is slow on deep input). */
function depthWithin(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

export function scanJson(msg: string): JsonScan {
  let text = msg.trim();
  if (text.startsWith(CEE)) text = text.slice(CEE.length).trimStart();
  if (text.charCodeAt(0) !== 0x7b) return { ok: false, why: 'JSON is not an object' };
  if (!depthWithin(text, MAX_DEPTH)) return { ok: false, why: `JSON nested deeper than ${MAX_DEPTH}` };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not valid JSON' };
  }
  if (!isObj(root)) return { ok: false, why: 'JSON is not an object' };
  const outer = isObj(root.sudo) ? root.sudo : root;
  const keys = Object.keys(outer);
  let type: JsonEventType = 'accept';
  let body: Obj = outer;
  let bare = true;
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && (JSON_EVENT_TYPES as readonly string[]).includes(only)) {
    const inner = outer[only];
    if (!isObj(inner)) return { ok: false, why: `"${only}" is not an object` };
    type = only as JsonEventType;
    body = inner;
    bare = false;
  } else if (str(outer, 'submituser') === undefined && str(outer, 'command') === undefined) {
    return { ok: false, why: 'no sudo event in the JSON' };
  }

  const e: Record<string, unknown> = { type, bare };
  const put = (name: keyof SudoJsonEvent, v: unknown): void => {
    if (v !== undefined) e[name] = v;
  };
  put('uuid', str(body, 'uuid'));
  put('reason', str(body, 'reason'));
  put('submitUser', str(body, 'submituser'));
  put('submitHost', str(body, 'submithost'));
  put('submitCwd', str(body, 'submitcwd'));
  put('runUser', str(body, 'runuser'));
  put('runGroup', str(body, 'rungroup'));
  put('runChroot', str(body, 'runchroot'));
  put('runCwd', str(body, 'runcwd'));
  put('ttyName', str(body, 'ttyname'));
  put('command', str(body, 'command'));
  put('runArgv', strings(body, 'runargv'));
  put('source', str(body, 'source'));
  put('peerAddr', str(body, 'peeraddr'));
  put('iologPath', str(body, 'iolog_path'));
  put('serverTime', timeMs(body, 'server_time'));
  put('exitValue', num(body, 'exit_value'));
  put('signal', str(body, 'signal'));
  const core = body.dumped_core;
  if (typeof core === 'boolean') e.dumpedCore = core;
  return { ok: true, event: e as unknown as SudoJsonEvent };
}
