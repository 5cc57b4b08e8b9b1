import { describe, expect, it } from 'vitest';
import { inNetwork, parseNetwork } from './cidr.js';

const within = (addr: string, net: string): boolean => {
  const n = parseNetwork(net);
  if (n === null) throw new Error(`bad network ${net}`);
  return inNetwork(addr, n);
};

describe('cidr', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.1.200', '192.168.1.128/25', true],
    ['192.168.1.127', '192.168.1.128/25', false],
    ['203.0.113.9', '203.0.113.9', true],
    ['203.0.113.9', '0.0.0.0/0', true],
    ['10.0.0.1', '10.0.0.77/24', true], // host bits ignored
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['fe80::1%eth0', 'fe80::/10', true],
    ['::1', '::1/128', true],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::/64', true],
    ['::ffff:10.9.8.7', '10.0.0.0/8', true], // IPv4-mapped
    ['::ffff:10.9.8.7', '::ffff:0:0/96', true],
    ['10.9.8.7', '::/0', false], // families do not mix otherwise
    ['host.example', '10.0.0.0/8', false],
    ['10.0.0', '10.0.0.0/8', false],
    ['1:2:3:4:5:6:7:8:9', '::/0', false],
  ] as const)('%s in %s → %s', (addr, net, want) => {
    expect(within(addr, net)).toBe(want);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '256.0.0.0/8', '10.0.0.0/8/8', 'a.b.c.d', '1::2::3/64', '10.0.0.0/-1', '10.0.0.0/08', ''])(
    'refuses %j',
    (net) => expect(parseNetwork(net)).toBeNull(),
  );
});
