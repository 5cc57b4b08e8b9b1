// IPv4 and IPv6 networks for the `cidr` modifier, as bigints (no node:* imports: rules are isomorphic).
// An IPv4-mapped IPv6 address (::ffff:192.0.2.1) also matches the IPv4 network it maps.
export interface Network {
  readonly v: 4 | 6;
  readonly base: bigint;
  readonly bits: number;
}

const parseV4 = (s: string): bigint | null => {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(p);
  }
  return n;
};

const parseV6 = (input: string): bigint | null => {
  const s = input.replace(/%[0-9A-Za-z._~-]+$/, ''); // zone id: fe80::1%eth0
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  let n = 0n;
  for (const g of [...head, ...Array<number>(fill).fill(0), ...tail]) n = (n << 16n) | BigInt(g);
  return n;
};

export const parseAddress = (s: string): { v: 4 | 6; n: bigint } | null => {
  const v4 = parseV4(s);
  if (v4 !== null) return { v: 4, n: v4 };
  const v6 = s.includes(':') ? parseV6(s) : null;
  return v6 === null ? null : { v: 6, n: v6 };
};

const mask = (v: 4 | 6, bits: number): bigint => {
  const width = v === 4 ? 32 : 128;
  return ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
};

/** '10.0.0.0/8', '2001:db8::/32', or a bare address (a /32 or /128). Host bits are ignored. */
export const parseNetwork = (s: string): Network | null => {
  const [addr, len, extra] = s.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  const a = parseAddress(addr);
  if (a === null) return null;
  const width = a.v === 4 ? 32 : 128;
  if (len !== undefined && !/^(?:0|[1-9][0-9]{0,2})$/.test(len)) return null;
  const bits = len === undefined ? width : Number(len);
  if (bits > width) return null;
  return { v: a.v, base: a.n & mask(a.v, bits), bits };
};

export const inNetwork = (address: string, net: Network): boolean => {
  const a = parseAddress(address);
  if (a === null) return false;
  if (a.v === net.v) return (a.n & mask(a.v, net.bits)) === net.base;
  if (a.v === 6 && net.v === 4 && a.n >> 32n === 0xffffn) return (a.n & 0xffffffffn & mask(4, net.bits)) === net.base;
  return false;
};
