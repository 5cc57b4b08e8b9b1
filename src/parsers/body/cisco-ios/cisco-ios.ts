// Cisco IOS / IOS-XE and NX-OS syslog messages (`%FACILITY-SEV-MNEMONIC: text`) → login, logout,
// command, privilege, config_change, commit and reboot events of operator sessions on routers and
// switches. Never throws, never reads the clock, scans strings without backtracking regexes.
//
// Recognising the records. Cisco lines have no program tag: the rfc3164 envelope puts the `%…` tag in
// `app`, so `programs` is empty and `claims()` takes any record whose app (or, from an RFC 5424 relay,
// whose message) is a Cisco tag. ASA / PIX / FWSM / FTD tags are other platforms: not claimed.
//   - SEC_LOGIN, SYS, PARSER, HA_EM (IOS) and VSHD, AUTHPRIV, AAA_ACCOUNTING_MESSAGE (NX-OS) are read
//     here; their unknown mnemonics are 'unparsed' ('unknown-message') so a gap shows.
//   - Every other facility (LINK, LINEPROTO, OSPF, SEC ACL logs, IPS, DOT1X …) is recognised device
//     noise: zero events, counted as read by cisco-ios rather than reported as "no body parser".
//
// devicePid (what keys a session on the device, with the host). IOS names the line (vty0, tty 3) in
// some messages but not in LOGIN_SUCCESS nor in CFGLOG_LOGGEDCMD, and it numbers lines differently in
// LOGOUT (absolute "tty 3") and CONFIG_I (relative "vty1"). The one value a login, its commands, its
// enable, its commit and its logout all name is the user as IOS prints it — and where the line has no
// user login, IOS prints the line in the user's place ("User:vty0", "by console"), which then keys that
// line's session. So on IOS devicePid = that name; the line, when named, is detail.line. Two admins on
// one router stay apart; one admin logged in twice at once shares a session (a known gap). Failed
// logins carry no devicePid, so they never join a session of the user they tried. On NX-OS the
// session's own id "ADDRESS@pts/N" (console0, vsh.PID) is named by accounting and VSHD lines alike: it
// is the devicePid there.
//
// Known gaps: IOS does not log the config mode a CFGLOG line was typed in (no context); a RESTART text
// split into lines by the sender leaves "Technical Support: …"/"Copyright …" lines unread (no envelope);
// NX-OS AUTHPRIV lines other than PAM session and pam_aaa failures are 'unparsed'; the lines for
// CFGLOG, LOGIN_FAILED, RELOAD, RESTART, BOOTTIME, PRIV_AUTH and NX-OS accounting come from public
// quotes (testdata/PROVENANCE.md), not captures of ours; PRIV_AUTH_PASS, CONFIG_P and QUIET_MODE have
// no real sample at all.
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';
import { imageVersion, iosMessage, IOS_FACILITIES } from './ios.js';
import { NXOS_ACCOUNTING, NXOS_FACILITIES, nxosMessage } from './nxos.js';
import { event, ID, NONE, NOT_MINE, one, readTag, VERSION, type Ctx, type DeviceType, type Tag } from './shared.js';

/** Cisco platforms with their own message catalogues and parsers-to-be: not IOS. */
const OTHER_PLATFORMS: ReadonlySet<string> = new Set(['ASA', 'PIX', 'FWSM', 'FTD']);

/** Image banners a device logs as a line of their own after a restart (`service … ` splits the RESTART text). */
const BANNERS = ['Cisco IOS Software', 'Cisco IOS XE Software', 'Cisco IOS-XE software', 'Cisco Nexus Operating System (NX-OS) Software'] as const;

interface Found {
  readonly tag: Tag;
  readonly text: string;
}

/** Characters of a Cisco timestamp the envelope left in the message (": Jan  6 2022 20:54:26.961", "2017 Jul 28 14:42:46 UTC"). */
const STAMP_LEFTOVER = /^[A-Za-z0-9 :.*+-]{8,48}$/;
const HAS_TIME = /[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/;

/**
 * The Cisco tag and the text after it: from the envelope's app (rfc3164), from the start of the
 * message (RFC 5424 relays put their own app), or after a Cisco timestamp the envelope did not
 * consume (an empty sequence number "<189>: Jan …", a "host: YYYY Mon DD …" NX-OS header).
 */
function find(input: BodyInput): Found | undefined {
  const { app, msg } = input.envelope;
  if (app !== undefined && app.charCodeAt(0) === 0x25) {
    const tag = readTag(app, 0, app.length);
    return tag === undefined ? undefined : { tag, text: msg.trim() };
  }
  const head = msg.length > 128 ? msg.slice(0, 128) : msg;
  let at = -1;
  if (head.charCodeAt(0) === 0x25) at = 0;
  else {
    const i = head.indexOf(': %');
    if (i > 0 && STAMP_LEFTOVER.test(head.slice(0, i)) && HAS_TIME.test(head.slice(0, i))) at = i + 2;
  }
  if (at < 0) return undefined;
  const colon = head.indexOf(':', at);
  const tag = readTag(msg, at, colon < 0 ? head.length : colon);
  if (tag === undefined) return undefined;
  return { tag, text: colon < 0 ? '' : msg.slice(colon + 1).trim() };
}

const deviceTypeOf = (tag: Tag): DeviceType => (NXOS_FACILITIES.has(tag.facility) || tag.mnemonic === NXOS_ACCOUNTING ? 'cisco-nxos' : 'cisco-ios');

const bannerOf = (input: BodyInput): string | undefined => {
  if (input.envelope.app !== undefined) return undefined;
  const m = input.envelope.msg;
  return BANNERS.some((b) => m.startsWith(b)) ? m : undefined;
};

function claims(input: BodyInput): boolean {
  const f = find(input);
  if (f !== undefined) return !OTHER_PLATFORMS.has(f.tag.facility);
  return bannerOf(input) !== undefined;
}

function parse(input: BodyInput): ParseOutcome {
  const f = find(input);
  if (f === undefined) {
    const banner = bannerOf(input);
    if (banner === undefined) return NOT_MINE;
    // "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.1(4)M4, RELEASE SOFTWARE (fc1)"
    const version = imageVersion(banner);
    const tag: Tag = { facility: 'IMAGE', severity: 6, mnemonic: 'BANNER', text: 'image-banner' };
    const ctx: Ctx = { input, tag, deviceType: banner.includes('NX-OS') ? 'cisco-nxos' : 'cisco-ios', text: banner };
    return one(event(ctx, 'alert_only', { action: 'image-version', detail: { ...(version !== undefined ? { version } : {}), banner: banner.trim() } }));
  }
  if (OTHER_PLATFORMS.has(f.tag.facility)) return NOT_MINE;
  const ctx: Ctx = { input, tag: f.tag, deviceType: deviceTypeOf(f.tag), text: f.text };
  if (IOS_FACILITIES.has(f.tag.facility)) return iosMessage(ctx);
  if (NXOS_FACILITIES.has(f.tag.facility) || f.tag.mnemonic === NXOS_ACCOUNTING) return nxosMessage(ctx);
  return NONE;
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze([]) as readonly string[],
  claims,
  parse,
});

export const ciscoIos: BodyParserFactory = () => parser;
