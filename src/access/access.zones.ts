import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface NetworkZone {
  name: string;
  cidrs: readonly string[];
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The address as policy sees it: an IPv4 client reached over a dual-stack socket arrives as
 * `::ffff:a.b.c.d`; matching it against IPv4 ranges is what an operator who wrote `10.0.0.0/8` means.
 */
export function normalizeAddress(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = MAPPED_V4.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  if (isIPv4(address)) return { address, family: 'ipv4' };
  if (isIPv6(address)) return { address, family: 'ipv6' };
  return null;
}

/** Parses `a.b.c.d/nn`, `x:y::/nn` or a bare address; returns null when it is not a valid CIDR. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [host = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const normalized = normalizeAddress(host);
  if (!normalized) return null;
  const max = normalized.family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { ...normalized, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { ...normalized, prefix } : null;
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== null;
}

const IP_CACHE_LIMIT = 10_000;

/**
 * Matches client addresses against a tenant's zones, returning a bit mask (bit i = zone i).
 * Node's BlockList does the CIDR arithmetic; results are cached per address because the same
 * agents call all day and a BlockList check costs about a microsecond.
 */
export class ZoneMatcher {
  readonly names: readonly string[];
  private readonly lists: BlockList[];
  private readonly cache = new Map<string, number>();

  constructor(zones: readonly NetworkZone[]) {
    if (zones.length > 30) throw new Error('at most 30 network zones per tenant');
    this.names = zones.map((z) => z.name);
    this.lists = zones.map((zone) => {
      const list = new BlockList();
      for (const cidr of zone.cidrs) {
        const parsed = parseCidr(cidr);
        if (!parsed) throw new Error(`zone ${zone.name}: ${cidr} is not a CIDR range`);
        list.addSubnet(parsed.address, parsed.prefix, parsed.family);
      }
      return list;
    });
  }

  /** Bit of a zone by name, or 0 if the tenant has no such zone. */
  bitOf(name: string): number {
    const index = this.names.indexOf(name);
    return index < 0 ? 0 : 1 << index;
  }

  /** Zones (as a bit mask) containing the address; 0 for an unknown or unparseable address. */
  match(ip: string | undefined): number {
    if (ip === undefined || this.lists.length === 0) return 0;
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    const normalized = normalizeAddress(ip);
    let mask = 0;
    if (normalized) {
      for (let i = 0; i < this.lists.length; i++) {
        if (this.lists[i]!.check(normalized.address, normalized.family)) mask |= 1 << i;
      }
    }
    // A full reset is cheaper than LRU bookkeeping and only costs re-checking the hot addresses.
    if (this.cache.size >= IP_CACHE_LIMIT) this.cache.clear();
    this.cache.set(ip, mask);
    return mask;
  }

  /** Names of the zones in a mask, for messages. */
  namesOf(mask: number): string[] {
    return this.names.filter((_, i) => (mask & (1 << i)) !== 0);
  }
}
