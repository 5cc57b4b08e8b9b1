// Whether a command sudo ran is an interactive shell (`sudo -i`, `sudo -s`, `sudo su -`, `sudo bash`):
// everything typed after it is invisible to sudo's own log, so reviewers need it marked (detail.shell).
// Pure; never throws.

/** Shells and shell-switching programs, by base name (a login shell's argv[0] has a leading '-'). */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'ksh', 'mksh', 'pdksh', 'dash', 'ash', 'csh', 'tcsh', 'fish', 'rbash', 'su', 'ksu', 'sudo', 'login', 'machinectl']);

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  let name = slash >= 0 ? path.slice(slash + 1) : path;
  if (name.startsWith('-')) name = name.slice(1);
  return name;
}

/** `-xyz` (a cluster of single-letter options, not `--long`) holding the letter `flag`. */
function shortFlags(arg: string, flag: string): boolean {
  if (arg.length < 2 || arg[0] !== '-' || arg[1] === '-') return false;
  for (let i = 1; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return arg.includes(flag, 1);
}

/**
 * True when `program args…` starts an interactive shell: a shell (or su, sudo, login) given no command
 * to run — no `-c`/`--command`, and for a shell no script operand. `sudo -s id` logs
 * `/bin/bash -c id`: not interactive. `su - nobody` and `su root` are (their operand is a user name).
 */
export function isInteractiveShell(program: string, args: readonly string[]): boolean {
  const name = baseName(program);
  if (!SHELLS.has(name)) return false;
  const switchesUser = name === 'su' || name === 'ksu' || name === 'sudo' || name === 'login' || name === 'machinectl';
  if (name === 'machinectl' && args[0] !== 'shell' && args[0] !== 'login') return false;
  if (name === 'sudo' && !args.some((a) => a === '--login' || a === '--shell' || shortFlags(a, 'i') || shortFlags(a, 's'))) return false;
  for (const a of args) {
    if (a === '--') break;
    if (a === '-c' || a === '--command' || a.startsWith('--command=') || a === '--session-command' || a.startsWith('--session-command=')) return false;
    if (name !== 'sudo' && shortFlags(a, 'c')) return false; // -lc, -ic
    if (!switchesUser && !a.startsWith('-') && !a.startsWith('+')) return false; // `bash script.sh`
  }
  return true;
}

/** Splits a command line as logged on blanks (enough to see the program and its options). */
export function splitCommandLine(command: string): { program: string; args: string[] } {
  const words = command.split(' ').filter((w) => w !== '');
  return { program: words[0] ?? '', args: words.slice(1) };
}
