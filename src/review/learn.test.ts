import { describe, expect, it } from 'vitest';
import { explainCommand } from './learn.js';

describe('explainCommand', () => {
  it('explains the commands the issue names', () => {
    expect(explainCommand('ss -tlpn')).toMatch(/listening TCP sockets/);
    expect(explainCommand('journalctl -u sshd --since today')).toMatch(/one service/);
    expect(explainCommand('show route 10.0.0.0/8')).toMatch(/routing table/);
  });
  it('prefers the longest entry and sees through sudo and paths', () => {
    expect(explainCommand('systemctl status rsyslog')).toMatch(/whether a service runs/);
    expect(explainCommand('systemctl frobnicate')).toMatch(/controls systemd/);
    expect(explainCommand('/usr/bin/ls -la /etc')).toBe('lists files in a directory');
    expect(explainCommand('sudo -u postgres ls /var/lib')).toBe('lists files in a directory');
    expect(explainCommand('sudo -i')).toMatch(/interactive login shell as root/);
  });
  it('says nothing it does not know', () => {
    expect(explainCommand('frobnicate --all')).toBeNull();
    expect(explainCommand(null)).toBeNull();
    expect(explainCommand('   ')).toBeNull();
  });
});
