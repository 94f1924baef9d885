import { describe, expect, it } from 'vitest';
import {
  allowsAddress,
  allowsName,
  inwardKind,
  inwardName,
  parseAllowList,
  parseIp,
} from './address-ranges.js';

const kindOf = (address: string) => {
  const bytes = parseIp(address);
  if (!bytes) throw new Error(`not parsed: ${address}`);
  return inwardKind(bytes);
};

describe('inward addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    // IPv4 addresses inside IPv6 ones reach the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0a00:0001::1', 'private'],
  ])('%s is %s', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is public', (address) => {
    expect(kindOf(address)).toBeNull();
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '::1::2', '1:2:3:4:5:6:7:8:9', 'g::1', ''])(
    'does not take %j for an address',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('inward names', () => {
  it.each([
    'localhost',
    'LOCALHOST.',
    'api.localhost',
    'metadata',
    'metadata.google.internal',
    'metadata.goog',
    'printer.local',
    'router.home.arpa',
    'intranet',
  ])('%s is inward by name', (name) => {
    expect(inwardName(name)).not.toBeNull();
  });

  it.each(['hooks.slack.com', 'chat.example.com'])('%s is not', (name) => {
    expect(inwardName(name)).toBeNull();
  });
});

describe('the operator allow list', () => {
  it('reads addresses, ranges and host names, and names every bad entry', () => {
    const { list, errors } = parseAllowList(
      '127.0.0.1, 10.20.0.0/16 fd00::/8,chat.corp.example *.hooks.corp.example',
    );
    expect(errors).toEqual([]);
    const ip = (t: string) => parseIp(t)!;
    expect(allowsAddress(list, ip('127.0.0.1'))).toBe(true);
    expect(allowsAddress(list, ip('::ffff:127.0.0.1'))).toBe(true);
    expect(allowsAddress(list, ip('127.0.0.2'))).toBe(false);
    expect(allowsAddress(list, ip('10.20.9.9'))).toBe(true);
    expect(allowsAddress(list, ip('10.21.0.1'))).toBe(false);
    expect(allowsAddress(list, ip('fd12::1'))).toBe(true);
    expect(allowsName(list, 'CHAT.corp.example.')).toBe(true);
    expect(allowsName(list, 'a.hooks.corp.example')).toBe(true);
    expect(allowsName(list, 'hooks.corp.example')).toBe(false);
    expect(allowsName(list, 'corp.example')).toBe(false);

    expect(parseAllowList('10.0.0.0/33, 10.0.0.0/x, http://x, fe80::/129, a..b').errors).toEqual([
      '10.0.0.0/33: the prefix length must be a whole number from 0 to 32',
      '10.0.0.0/x: the prefix length must be a whole number from 0 to 32',
      'http://x: not an IP address, a CIDR range or a host name',
      'fe80::/129: the prefix length must be a whole number from 0 to 128',
      'a..b: not an IP address, a CIDR range or a host name',
    ]);
  });
});
