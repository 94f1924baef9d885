/**
 * Which network addresses and host names lie inside the network Baton runs in (its own loopback,
 * the private networks around it, link-local and cloud metadata services), and the operator's list
 * of such destinations that outbound requests may reach nonetheless. Pure: no I/O, so every rule
 * is tested on its own; the destination guard applies them to what a lookup answers.
 */

/** Why an address is refused: the kind of inward address it is. */
export type InwardKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'cloud metadata'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export type IpBytes = Uint8Array;

interface Range {
  bytes: IpBytes;
  bits: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The bytes of a dotted-quad IPv4 address (no leading zeros, which some resolvers read as octal). */
function parseIpv4(text: string): IpBytes | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map((p) => (p.length > 1 && p.startsWith('0') ? Number.NaN : Number(p)));
  if (parts.some((n) => !(n >= 0 && n <= 255))) return null;
  return Uint8Array.from(parts);
}

/** The bytes of an IPv6 address (`::` shorthand, a trailing dotted quad and a `%zone` allowed). */
function parseIpv6(text: string): IpBytes | null {
  const address = text.replace(/%[\w.-]+$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        out.push(Number.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** The bytes of an IP address written as text, or null when it is not one. */
export function parseIp(text: string): IpBytes | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return bare.includes(':') ? parseIpv6(bare) : parseIpv4(bare);
}

function range(cidr: string): Range {
  const [address, bits] = cidr.split('/');
  const bytes = parseIp(address!);
  if (!bytes) throw new Error(`Not an address: ${cidr}`);
  return { bytes, bits: Number(bits ?? bytes.length * 8) };
}

function inRange(bytes: IpBytes, r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  let bits = r.bits;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (r.bytes[i]! & mask)) return false;
  }
  return true;
}

// Most specific first: the first range that holds an address names its kind.
const INWARD: readonly (Range & { kind: InwardKind })[] = (
  [
    // Instance metadata services: AWS, GCP, Azure, OpenStack (169.254.169.254), ECS task
    // metadata, Alibaba Cloud, AWS over IPv6.
    ['169.254.169.254/32', 'cloud metadata'],
    ['169.254.170.2/32', 'cloud metadata'],
    ['100.100.100.200/32', 'cloud metadata'],
    ['fd00:ec2::254/128', 'cloud metadata'],
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'reserved'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['64:ff9b:1::/48', 'reserved'],
    ['100::/64', 'reserved'],
    ['fc00::/7', 'unique-local'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'site-local'],
    ['ff00::/8', 'multicast'],
  ] as const
).map(([cidr, kind]) => ({ ...range(cidr), kind }));

// IPv6 forms that carry an IPv4 address, and where: a request to one of them reaches that
// IPv4 address (through the host's dual stack, a NAT64 gateway or a 6to4 relay).
const EMBEDDING: readonly (Range & { at: number })[] = [
  { ...range('::ffff:0:0/96'), at: 12 }, // IPv4-mapped
  { ...range('::ffff:0:0:0/96'), at: 12 }, // IPv4-translated (SIIT)
  { ...range('64:ff9b::/96'), at: 12 }, // NAT64, well-known prefix
  { ...range('::/96'), at: 12 }, // IPv4-compatible (deprecated)
  { ...range('2002::/16'), at: 2 }, // 6to4
];

/** The IPv4 address an IPv6 address carries, if it is of a form that reaches one. */
export function embeddedIpv4(bytes: IpBytes): IpBytes | null {
  if (bytes.length !== 16) return null;
  const form = EMBEDDING.find((e) => inRange(bytes, e));
  return form ? bytes.slice(form.at, form.at + 4) : null;
}

/**
 * The kind of inward address this is (loopback, private, link-local, metadata…), also when it
 * is an IPv4 address inside an IPv6 one; null for an address on the public internet.
 */
export function inwardKind(bytes: IpBytes): InwardKind | null {
  const own = INWARD.find((r) => inRange(bytes, r));
  if (own) return own.kind;
  const v4 = embeddedIpv4(bytes);
  return v4 ? (INWARD.find((r) => inRange(v4, r))?.kind ?? null) : null;
}

/** "a loopback address", "an unspecified address"… */
export function describeKind(kind: InwardKind): string {
  return `${kind === 'unspecified' ? 'an' : 'a'} ${kind === 'shared' ? 'shared (carrier-grade NAT)' : kind} address`;
}

// Names that reach this machine, the local network or a metadata service by definition.
const INWARD_NAMES = new Set(['localhost', 'metadata', 'metadata.goog', 'instance-data']);
const INWARD_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa'];

/** A host name as compared: lower case, without the root's trailing dot. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/**
 * Why a host name is inward by itself, whatever it resolves to: `localhost`, a metadata name, a
 * name under `.internal`, `.local`, `.localhost` or `.home.arpa`, or a single label (which the
 * resolver completes with the local network's search domains); null otherwise.
 */
export function inwardName(host: string): string | null {
  const name = normaliseHost(host);
  if (INWARD_NAMES.has(name)) return `${name} names this machine or a metadata service`;
  const suffix = INWARD_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `names under ${suffix} are local to the network`;
  if (!name.includes('.')) return 'a name without a dot is completed with the local network’s domains';
  return null;
}

/** Inward destinations an operator lets outbound requests reach: address ranges and host names. */
export interface AllowList {
  ranges: readonly Range[];
  /** Exact host names, and `*.example.com` entries as `.example.com` suffixes. */
  names: readonly string[];
  suffixes: readonly string[];
}

export const EMPTY_ALLOW_LIST: AllowList = { ranges: [], names: [], suffixes: [] };

const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Reads an allow list: entries separated by commas or white space, each an IP address, a CIDR
 * range (`10.20.0.0/16`, `fd00::/8`) or a host name (`chat.corp.example`, `*.corp.example`).
 * Answers every entry that is none of these.
 */
export function parseAllowList(text: string): { list: AllowList; errors: string[] } {
  const ranges: Range[] = [];
  const names: string[] = [];
  const suffixes: string[] = [];
  const errors: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [address, bits, ...rest] = entry.split('/');
    const bytes = parseIp(address!);
    if (bytes) {
      const max = bytes.length * 8;
      const n = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
      if (rest.length === 0 && n >= 0 && n <= max) ranges.push({ bytes, bits: n });
      else errors.push(`${entry}: the prefix length must be a whole number from 0 to ${max}`);
      continue;
    }
    const name = normaliseHost(entry);
    if (bits === undefined && HOST_NAME.test(name)) {
      if (name.startsWith('*.')) suffixes.push(name.slice(1));
      else names.push(name);
    } else {
      errors.push(`${entry}: not an IP address, a CIDR range or a host name`);
    }
  }
  return { list: { ranges, names, suffixes }, errors };
}

/** True when the operator allows this address (or the IPv4 address it carries). */
export function allowsAddress(list: AllowList, bytes: IpBytes): boolean {
  const v4 = embeddedIpv4(bytes);
  return list.ranges.some((r) => inRange(bytes, r) || (v4 !== null && inRange(v4, r)));
}

/** True when the operator allows this host name, whatever it resolves to. */
export function allowsName(list: AllowList, host: string): boolean {
  const name = normaliseHost(host);
  return list.names.includes(name) || list.suffixes.some((s) => name.endsWith(s));
}
