// Which IP addresses an outbound request to a user-given URL may reach: public unicast only (no loopback, private, link-local, metadata, …).
import { isIPv4, isIPv6 } from 'node:net'

/** An address range as [its first bytes, prefix length in bits]. */
type Range = [number[], number]

/** IPv4 special-purpose blocks (IANA registry) that are never a public host. */
const BLOCKED_V4: Range[] = [
  [[0], 8], // "this network", 0.0.0.0
  [[10], 8], // private
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, incl. the 169.254.169.254 metadata service
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation (TEST-NET-1)
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation (TEST-NET-2)
  [[203, 0, 113], 24], // documentation (TEST-NET-3)
  [[224], 4], // multicast
  [[240], 4], // reserved, incl. broadcast 255.255.255.255
]

function inRange(bytes: Uint8Array, first: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3
    const mask = 0x80 >> (bit & 7)
    if ((bytes[byte]! & mask) !== ((first[byte] ?? 0) & mask)) return false
  }
  return true
}

function parseV4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null
  return Uint8Array.from(text.split('.').map(Number))
}

/** The 16 bytes of an IPv6 address (a zone such as %eth0 is dropped), or null. */
function parseV6(text: string): Uint8Array | null {
  const address = text.replace(/%.*$/, '')
  if (!isIPv6(address)) return null
  let groups = address
  const bytes = new Uint8Array(16)
  // A dotted IPv4 tail (::ffff:127.0.0.1) stands for the last two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups)
  if (tail) {
    const v4 = parseV4(tail[1]!)
    if (!v4) return null
    groups = groups.slice(0, -tail[1]!.length) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`
  }
  const [head, rest] = groups.split('::') as [string, string | undefined]
  const left = head ? head.split(':') : []
  const right = rest ? rest.split(':') : []
  const words = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  if (words.length !== 8) return null
  words.forEach((word, i) => {
    const value = parseInt(word, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  })
  return bytes
}

function publicV4(bytes: Uint8Array): boolean {
  return !BLOCKED_V4.some(([first, prefix]) => inRange(bytes, first, prefix))
}

const zero = (bytes: Uint8Array, from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0)

function publicV6(bytes: Uint8Array): boolean {
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d), compatible (::a.b.c.d),
  // NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::): the IPv4 address decides.
  const embedded =
    (zero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) ||
    (zero(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(bytes, 10, 12)) ||
    zero(bytes, 0, 12) ||
    (inRange(bytes, [0x00, 0x64, 0xff, 0x9b], 32) && zero(bytes, 4, 12))
  // ::/96 holds :: and ::1 too; their "IPv4" is 0.0.0.0/8, which is refused.
  if (embedded) return publicV4(bytes.subarray(12, 16))
  if (inRange(bytes, [0x20, 0x02], 16)) return publicV4(bytes.subarray(2, 6))
  // Only global unicast (2000::/3) is public; that leaves out ::, ::1, NAT64 local use, discard-only,
  // unique local (fc00::/7), link-local (fe80::/10), site-local and multicast (ff00::/8).
  if (!inRange(bytes, [0x20], 3)) return false
  const blocked: Range[] = [
    [[0x20, 0x01, 0x00], 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID …
    [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
    [[0x3f, 0xff], 20], // documentation
  ]
  return !blocked.some(([first, prefix]) => inRange(bytes, first, prefix))
}

/** True for an IP address literal (IPv4, or IPv6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return isIPv4(bare) || isIPv6(bare.replace(/%.*$/, ''))
}

/**
 * True when `address` (an IP literal; IPv6 may be bracketed) is a public unicast address a request may go to.
 * Anything that is not a well-formed address is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const v4 = parseV4(bare)
  if (v4) return publicV4(v4)
  const v6 = parseV6(bare)
  return v6 ? publicV6(v6) : false
}

/** Host names that only mean something inside a machine or a private network (special-use and cluster names). */
const INTERNAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home.arpa', 'invalid', 'svc', 'cluster.local']

/**
 * True for a host name that cannot be a public host whatever DNS says: a single label (found through search
 * domains, such as `kubernetes`), `localhost` and its subdomains, and internal suffixes such as `.svc`.
 * A trailing dot (`localhost.`) changes nothing.
 */
export function isInternalName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '')
  if (!name.includes('.')) return true
  return INTERNAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))
}
