// "A nice way for people to learn": a one-line explanation of common operator commands, shown beside
// them on the session page. A small curated table, matched on the command's leading words (after
// sudo and an absolute path); the longest matching entry wins. Isomorphic: no node:* imports.

/** [leading words, explanation]. Words are matched exactly; `*` matches any one word. */
const TABLE: readonly (readonly [string, string])[] = [
  // Linux: looking around
  ['ls', 'lists files in a directory'],
  ['cat', 'prints files to the terminal'],
  ['less', 'pages through a file'],
  ['tail -f', 'follows a file as lines are appended (typically a log)'],
  ['tail', 'prints the last lines of a file'],
  ['head', 'prints the first lines of a file'],
  ['grep', 'searches text for lines matching a pattern'],
  ['find', 'searches the file tree by name, type, age or size'],
  ['cd', 'changes the working directory'],
  ['pwd', 'prints the working directory'],
  ['id', 'shows the user and group ids of the current (or named) user'],
  ['whoami', 'shows which user the shell runs as'],
  ['w', 'shows who is logged in and what they are doing'],
  ['who', 'shows who is logged in'],
  ['last', 'lists recent logins from the wtmp log'],
  ['uptime', 'shows how long the system has run and its load'],
  ['df -h', 'shows free disk space per filesystem, human-readable'],
  ['df', 'shows free disk space per filesystem'],
  ['du', 'shows how much disk space files and directories use'],
  ['free', 'shows memory and swap use'],
  ['top', 'shows the busiest processes, live'],
  ['htop', 'shows the busiest processes, live'],
  ['ps', 'lists processes'],
  ['uname -a', 'prints the kernel name, version and architecture'],
  ['hostname', 'shows (or sets) the host name'],
  ['dmesg', "prints the kernel's message buffer (hardware, drivers, OOM kills)"],
  // Linux: network
  ['ss -tlpn', 'lists listening TCP sockets with the process that owns each, numerically'],
  ['ss -tunap', 'lists all TCP and UDP sockets with their processes, numerically'],
  ['ss', 'lists sockets (the modern netstat)'],
  ['netstat', 'lists sockets, routes or interface statistics (older tool; see ss)'],
  ['ip a', 'lists network interfaces and their addresses'],
  ['ip addr', 'lists network interfaces and their addresses'],
  ['ip route', 'shows (or changes) the routing table'],
  ['ip r', 'shows (or changes) the routing table'],
  ['ip link', 'shows (or changes) network interfaces'],
  ['ping', 'checks whether a host answers ICMP echo'],
  ['traceroute', 'shows the routers on the path to a host'],
  ['dig', 'asks DNS servers about a name'],
  ['curl', 'transfers data from or to a URL'],
  ['tcpdump', 'captures network packets (can see traffic content)'],
  ['iptables -L', 'lists firewall rules'],
  ['iptables', 'changes or lists the IPv4 firewall rules'],
  ['nft list ruleset', 'lists all nftables firewall rules'],
  ['nft', 'changes or lists nftables firewall rules'],
  // Linux: services and logs
  ['systemctl status', 'shows whether a service runs, its recent log lines and its processes'],
  ['systemctl restart', 'stops and starts a service'],
  ['systemctl stop', 'stops a service'],
  ['systemctl start', 'starts a service'],
  ['systemctl enable', 'makes a service start at boot'],
  ['systemctl disable', 'stops a service from starting at boot'],
  ['systemctl daemon-reload', "reloads systemd's unit files after they changed"],
  ['systemctl', 'controls systemd services and the system state'],
  ['journalctl -u', "shows the journal's log lines of one service (unit)"],
  ['journalctl -f', 'follows the journal as new log lines arrive'],
  ['journalctl', 'reads the systemd journal (system logs)'],
  ['apt-get install', 'installs Debian packages'],
  ['apt install', 'installs Debian packages'],
  ['apt update', 'refreshes the package lists'],
  ['apt-get update', 'refreshes the package lists'],
  ['apt upgrade', 'upgrades installed packages'],
  ['dpkg -l', 'lists installed Debian packages'],
  // Linux: privilege, accounts, files
  ['sudo -i', 'opens an interactive login shell as root'],
  ['sudo -s', 'opens an interactive shell as root'],
  ['sudo su', 'becomes root through su (an interactive root shell)'],
  ['su -', 'switches to root (or the named user) with a login shell'],
  ['su', 'switches to another user (root by default)'],
  ['passwd', 'changes a password'],
  ['useradd', 'creates a user account'],
  ['usermod', 'changes a user account (groups, shell, lock)'],
  ['userdel', 'deletes a user account'],
  ['chmod', 'changes file permissions'],
  ['chown', 'changes file owner and group'],
  ['vi', 'edits a file'],
  ['vim', 'edits a file'],
  ['nano', 'edits a file'],
  ['rm', 'deletes files'],
  ['cp', 'copies files'],
  ['mv', 'moves or renames files'],
  ['tar', 'packs or unpacks archives'],
  ['crontab -l', "lists the user's scheduled jobs"],
  ['crontab -e', "edits the user's scheduled jobs"],
  ['auditctl -l', 'lists the loaded audit rules'],
  ['auditctl', 'changes the kernel audit rules or switches auditing on and off'],
  ['history', "shows (or with -c, clears) the shell's command history"],
  ['reboot', 'restarts the machine'],
  ['shutdown', 'halts or restarts the machine (on IOS, in an interface: disables it)'],
  // Cisco IOS
  ['enable', 'IOS: enters privileged EXEC mode (full control of the device)'],
  ['configure terminal', 'IOS: enters global configuration mode'],
  ['conf t', 'IOS: enters global configuration mode'],
  ['show running-config', "IOS: shows the configuration in effect now"],
  ['show run', "IOS: shows the configuration in effect now"],
  ['show startup-config', 'IOS: shows the configuration loaded at the next boot'],
  ['show ip interface brief', 'IOS: lists interfaces with address and up/down state'],
  ['show ip int brief', 'IOS: lists interfaces with address and up/down state'],
  ['show ip route', 'IOS: shows the routing table'],
  ['show ip bgp summary', 'IOS: shows BGP neighbours and their state'],
  ['show interfaces', 'IOS: shows interface counters and errors'],
  ['show version', 'shows the software version, uptime and last reload reason'],
  ['show logging', 'IOS: shows the logging setup and the local log buffer'],
  ['show users', 'shows who is logged in to the device'],
  ['show clock', "shows the device's time"],
  ['write memory', 'IOS: saves the running configuration as the startup configuration'],
  ['wr mem', 'IOS: saves the running configuration as the startup configuration'],
  ['copy running-config startup-config', 'IOS: saves the running configuration as the startup configuration'],
  ['reload', 'IOS: restarts the device'],
  ['monitor session', 'IOS: mirrors traffic of ports or VLANs to another port (SPAN)'],
  ['no logging', 'IOS: switches logging (to a host, buffer or console) off'],
  ['logging host', 'IOS: sends the log to a syslog server'],
  ['username', 'IOS: creates or changes a local account'],
  ['interface', 'IOS: enters an interface configuration'],
  ['no shutdown', 'IOS (in an interface): enables the interface'],
  ['end', 'IOS: leaves configuration mode'],
  ['exit', 'leaves the current mode or shell'],
  ['logout', 'ends the session'],
  // JunOS
  ['show route', 'JunOS: shows the routing table'],
  ['show interfaces terse', 'JunOS: lists interfaces with address and up/down state'],
  ['show configuration', 'JunOS: shows the active configuration'],
  ['show system uptime', 'JunOS: shows boot time and uptime of each routing engine'],
  ['show chassis alarms', 'JunOS: shows active hardware alarms'],
  ['show log messages', "JunOS: shows the device's main log file"],
  ['show bgp summary', 'JunOS: shows BGP peers and their state'],
  ['configure', 'JunOS: enters configuration mode (changes apply only on commit)'],
  ['configure exclusive', 'JunOS: enters configuration mode, locking out other editors'],
  ['commit', 'JunOS: applies the candidate configuration'],
  ['commit check', 'JunOS: validates the candidate configuration without applying it'],
  ['commit confirmed', 'JunOS: applies the configuration and rolls it back unless confirmed in time'],
  ['rollback', 'JunOS: loads an earlier configuration into the candidate'],
  ['show | compare', 'JunOS: shows what the candidate changes against the active configuration'],
  ['set system syslog', 'JunOS: changes where and what the device logs'],
  ['delete system syslog', 'JunOS: removes logging configuration'],
  ['request system reboot', 'JunOS: restarts the device'],
  ['request system software add', 'JunOS: installs a software image'],
  ['request chassis routing-engine master switch', 'JunOS: hands control to the other routing engine'],
  ['monitor traffic', 'JunOS: captures packets on an interface (tcpdump)'],
];

interface Entry {
  readonly words: readonly string[];
  readonly text: string;
}

const ENTRIES: readonly Entry[] = TABLE.map(([k, text]) => ({ words: k.split(' '), text })).sort((a, b) => b.words.length - a.words.length);

const WRAPPERS = new Set(['sudo', 'doas', 'nice', 'nohup', 'time', 'exec']);

const basename = (w: string): string => (w.includes('/') ? w.slice(w.lastIndexOf('/') + 1) : w);

/** The one-line explanation of a command, or null when the table has none. */
export const explainCommand = (command: string | null): string | null => {
  if (command === null) return null;
  let words = command.trim().split(/\s+/).filter((w) => w !== '');
  // "sudo -u bob ls" explains ls; a bare "sudo -i" is in the table itself.
  while (words.length > 1 && WRAPPERS.has(basename(words[0]!)) && !ENTRIES.some((e) => e.words.length > 1 && e.words[0] === basename(words[0]!) && e.words[1] === words[1])) {
    words = words.slice(1);
    while (words.length > 1 && words[0]!.startsWith('-')) words = words.slice(words[0] === '-u' ? 2 : 1);
  }
  if (words.length === 0) return null;
  words = [basename(words[0]!), ...words.slice(1)];
  for (const e of ENTRIES) if (e.words.length <= words.length && e.words.every((w, i) => w === '*' || w === words[i])) return e.text;
  return null;
};
