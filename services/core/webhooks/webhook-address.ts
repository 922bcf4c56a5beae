import { BlockList, isIP } from 'node:net';

/**
 * D16: where an outbound webhook may go. A shop sets its URL itself; unless the operator allows it
 * (WEBHOOK_ALLOW_PRIVATE), Lojal never posts to an address inside the operator's own network: loopback, private,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast or reserved ranges, in IPv4 and IPv6.
 * The check runs on every address the host resolves to, when the connection is made, so a name that resolves to a
 * public address when the URL is saved and to a private one later is refused too.
 */
// Two lists: one BlockList holding both families matches IPv4 addresses against IPv4-mapped IPv6 rules too.
const PRIVATE_V4 = new BlockList();
const PRIVATE_V6 = new BlockList();
const IPV4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
// IPv4-mapped addresses (::ffff:0:0/96) count as private: their IPv4 half is checked on its own first.
const IPV6: [string, number][] = [['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]];
for (const [network, prefix] of IPV4) PRIVATE_V4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6) PRIVATE_V6.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address (v4, or v6 with or without brackets) is one a webhook must not reach; a non-address is. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family === 4) return PRIVATE_V4.check(bare, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && PRIVATE_V4.check(mapped[1]!, 'ipv4')) return true;
  return PRIVATE_V6.check(bare, 'ipv6');
}

/** A URL host refused before any lookup: a private literal address, or a name of this machine (`localhost`). */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0 && isPrivateAddress(host);
}
