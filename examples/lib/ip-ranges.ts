/** IPv4 CIDR ranges ("192.0.2.0/24"), as the IP allow/block list and MFA-by-network examples read them. */
export interface Ipv4Range {
  /** The first address of the range, as a number. */
  first: number;
  /** How many addresses the range holds (2^(32 - prefix)). */
  size: number;
}

function ipv4(address: string): number | undefined {
  const parts = address.trim().split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** "192.0.2.0/24, 198.51.100.7" → ranges (a bare address is a /32); malformed entries are left out. */
export function ranges(list: string | undefined): Ipv4Range[] {
  const result: Ipv4Range[] = [];
  for (const entry of (list || "").split(",")) {
    const [address, bits] = entry.trim().split("/");
    const value = ipv4(address || "");
    const prefix = bits === undefined ? 32 : Number(bits);
    if (value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) continue;
    const size = 2 ** (32 - prefix);
    result.push({ first: Math.floor(value / size) * size, size });
  }
  return result;
}

/** Whether `address` (IPv4) lies in one of the ranges; an IPv6 or malformed address lies in none. */
export function inAnyRange(address: string, list: readonly Ipv4Range[]): boolean {
  const value = ipv4(address);
  return value !== undefined && list.some((range) => value >= range.first && value < range.first + range.size);
}
