// Who sent a request: the client's address, scheme and host, believing X-Forwarded-* headers only from trusted proxies.
import { BlockList, isIP } from 'node:net'

/** What the process believes about proxies in front of it (from TRUST_PROXY and TRUSTED_PROXIES). */
export interface ProxyTrust {
  /** Read X-Forwarded-* at all. */
  trustProxy: boolean
  /** Addresses or CIDR ranges of the proxies whose X-Forwarded-* entries are believed. */
  trustedProxies: string[]
}

/** Loopback, private (RFC 1918, IPv6 unique-local) and link-local ranges: where a cluster's ingress and load balancers live. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10']

/** An address or `address/bits` in canonical form, or undefined if `text` is neither. */
export function parseCidr(text: string): string | undefined {
  const [address = '', bits, extra] = text.trim().split('/')
  const family = isIP(address)
  if (!family || extra !== undefined) return undefined
  const max = family === 4 ? 32 : 128
  if (bits === undefined) return `${address.toLowerCase()}/${max}`
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined
  return `${address.toLowerCase()}/${Number(bits)}`
}

const lists = new WeakMap<string[], BlockList>()

function trustedList(cidrs: string[]): BlockList {
  let list = lists.get(cidrs)
  if (!list) {
    list = new BlockList()
    for (const cidr of cidrs) {
      const [address, bits] = cidr.split('/') as [string, string]
      list.addSubnet(address, Number(bits), isIP(address) === 4 ? 'ipv4' : 'ipv6')
    }
    lists.set(cidrs, list)
  }
  return list
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; other addresses unchanged. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  return m ? m[1]! : address.toLowerCase()
}

/** One X-Forwarded-For entry as an address (`[v6]:port` and `v4:port` lose the port), or undefined if it is not one. */
function hopAddress(entry: string): string | undefined {
  let text = entry.trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)
  if (bracketed) text = bracketed[1]!
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'))
  return isIP(text) ? unmapped(text) : undefined
}

function isTrusted(address: string, trust: ProxyTrust): boolean {
  const family = isIP(address)
  return family !== 0 && trustedList(trust.trustedProxies).check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** The socket address each request came from, recorded by the HTTP edge as the request arrives. */
const peers = new WeakMap<Request, string>()

export function notePeer(request: Request, address: string | undefined): void {
  if (address) peers.set(request, unmapped(address))
}

/**
 * Whether the request came through a trusted proxy. A request handed to the app in-process (no socket: tests, an
 * internal call) has no peer to distrust, so it counts as coming through one.
 */
function viaTrustedProxy(request: Request, trust: ProxyTrust): boolean {
  if (!trust.trustProxy) return false
  const peer = peers.get(request)
  return peer === undefined || isTrusted(peer, trust)
}

/**
 * The client's address. Behind trusted proxies, X-Forwarded-For is read from the right: each proxy appends the address
 * it was reached from, so the first entry (from the right) that is not a trusted proxy is the client, and whatever the
 * client wrote to its left is ignored. An entry that is not an address stops the walk at the last trusted hop.
 */
export function clientAddress(request: Request, trust: ProxyTrust): string {
  const peer = peers.get(request) ?? 'unknown'
  if (!viaTrustedProxy(request, trust)) return peer
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').filter((h) => h.trim() !== '')
  let client = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i]!)
    if (!hop) break
    client = hop
    if (!isTrusted(hop, trust)) break
  }
  return client
}

/** The value the nearest trusted proxy gave a forwarded header (its rightmost entry), or undefined. */
function forwarded(request: Request, header: string, trust: ProxyTrust): string | undefined {
  if (!viaTrustedProxy(request, trust)) return undefined
  const value = request.headers.get(header)?.split(',').at(-1)?.trim()
  return value || undefined
}

/** True when the client reached us over HTTPS (directly, or as a trusted proxy says). */
export function isHttps(request: Request, trust: ProxyTrust): boolean {
  if (new URL(request.url).protocol === 'https:') return true
  return forwarded(request, 'x-forwarded-proto', trust)?.toLowerCase() === 'https'
}

/** The origin people reach us at (as a trusted proxy says, from X-Forwarded-Proto and -Host), for links we hand out. */
export function publicOrigin(request: Request, trust: ProxyTrust): string {
  const url = new URL(request.url)
  const proto = isHttps(request, trust) ? 'https' : url.protocol.replace(':', '')
  const host = forwarded(request, 'x-forwarded-host', trust)
  return `${proto}://${host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? host : url.host}`
}
