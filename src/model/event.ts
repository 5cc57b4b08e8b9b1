// What a record means, normalized (DESIGN §3): the unit the sessionizer, the rules and the review UI
// work on. Isomorphic: no node:* imports, shared with web/. Body parsers make these; nothing else does.

/** Stable: stored as text, matched by rules, shown by the UI. Append only. */
export const EVENT_KINDS = [
  'login',
  'login_failed',
  'logout',
  'command',
  'privilege', // su, sudo, enable: a change of the acting user inside a session
  'privilege_failed', // a refused su/sudo/enable (wrong password, not allowed)
  'config_change',
  'commit',
  'http_request',
  'tty_io', // a piece of a terminal recording (tlog, pam_tty_audit keystrokes)
  'reboot',
  'alert_only', // worth keeping and showing, not part of any session's story (e.g. sshd invalid user probes)
  'unparsed',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** How a login was authenticated, where the program says. */
export const AUTH_METHODS = ['password', 'publickey', 'keyboard-interactive', 'certificate', 'hostbased', 'gssapi', 'none', 'other'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface LoginAuth {
  readonly method: AuthMethod;
  /** e.g. 'ED25519', 'RSA', 'ED25519-CERT'. */
  readonly keyType?: string;
  /** e.g. 'SHA256:…'. */
  readonly fingerprint?: string;
  /** OpenSSH certificate key ID and serial. */
  readonly certId?: string;
  readonly certSerial?: string;
  /** The certificate authority's key fingerprint, where logged. */
  readonly caFingerprint?: string;
}

/**
 * What ties an event to a session, strongest first (DESIGN §4). Values are as the program logged them.
 * A parser fills every hint its line carries; the sessionizer decides which one keys the session.
 */
export interface SessionHints {
  /** auditd `ses=` (never 4294967295, which means "no session"). */
  readonly auditSession?: string;
  /** systemd-logind / pam_systemd session id. */
  readonly logindSession?: string;
  /** Client address and port of an SSH connection, "ip port": sshd's monitor and child pids and snoopy's `ssh:(…)` share it. */
  readonly sshConn?: string;
  /** The sshd process that logged the line (monitor or privilege-separated child). */
  readonly sshdPid?: string;
  /** The terminal, normalized without "/dev/": 'pts/0', 'tty1'. */
  readonly tty?: string;
  /** tlog recording id (`rec`). */
  readonly tlogRec?: string;
  readonly tacacsTaskId?: string;
  readonly proxySession?: string;
  /** A network device's own session or process id (JunOS mgd pid, IOS vty line). */
  readonly devicePid?: string;
  /** The pid of the process that logged the line, for programs other than sshd (su, sudo, snoopy's parent…). */
  readonly pid?: string;
}

/** One chunk of a terminal recording, as tlog logs it (its JSON message, fields decoded). */
export interface TtyChunk {
  /** Recording id and the chunk's number within it. */
  readonly rec: string;
  readonly id: number;
  /** Milliseconds from the start of the recording to this chunk. */
  readonly pos: number;
  /** tlog's timing string, kept as logged: the recording module replays it. */
  readonly timing: string;
  readonly inText: string;
  readonly outText: string;
  /** Bytes that were not valid UTF-8, as tlog lists them. */
  readonly inBin: readonly number[];
  readonly outBin: readonly number[];
  /** Terminal type and size where the chunk states them. */
  readonly term?: { readonly type: string; readonly width: number; readonly height: number };
}

/** What a body parser produces from one record (or, for auditd, from the records of one serial). */
export interface Event {
  /** The record's seq (its tlog leaf index); for events built from several records, the first. */
  readonly seq: number;
  /** All records the event was built from, when more than one (auditd serials). */
  readonly seqs?: readonly number[];
  /** When it happened, ms since the epoch UTC (the envelope's time, else the receive time). */
  readonly time: number;
  /**
   * The device it happened on: the envelope hostname, else the peer address. For a relayed record
   * (TACACS+ accounting, auditd `node=`, sudo_logsrvd) the parser names the device the record is
   * about (the NAS, the audited node, the sudo client), not the server that wrote or sent it.
   */
  readonly host: string;
  readonly kind: EventKind;
  /** A parser-specific verb shown on the timeline: 'accepted', 'session-opened', 'disconnected', 'exec'… */
  readonly action?: string;
  /** The login identity acting. */
  readonly user?: string;
  /** The user a privilege change went to (sudo -u, su -), or the effective user of a command. */
  readonly targetUser?: string;
  /** The full command line, decoded. */
  readonly command?: string;
  readonly cwd?: string;
  /** The terminal, normalized without "/dev/". */
  readonly tty?: string;
  /** Where a login came from: an address, or a hostname as the program logged it. */
  readonly remote?: string;
  readonly remotePort?: number;
  readonly auth?: LoginAuth;
  /** Why something failed or was refused, in the program's words ('incorrect password attempts'). */
  readonly reason?: string;
  readonly hints: SessionHints;
  /** Parser id and version: 'sshd@1'. */
  readonly parser: string;
  /** A terminal-recording chunk (kind 'tty_io' from tlog). */
  readonly recording?: TtyChunk;
  /** Typed text from pam_tty_audit TTY records (kind 'tty_io'), decoded from hex. */
  readonly keystrokes?: string;
  /** Anything else worth showing, flat. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}
