// Where a webhook POST may go: the URL is checked when saved, and every address its host resolves to is checked again when sent.
import { lookup } from 'node:dns/promises'
import { invalid } from '../../lib/errors'
import { isInternalName, isIpLiteral, isPublicAddress } from '../../lib/public-address'

/** Every address a host name resolves to (the system resolver by default; tests stage their own). */
export type Resolve = (hostname: string) => Promise<string[]>

export const systemResolve: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

/** A URL that passed `parseWebhookUrl`: what the service stores. */
export type WebhookUrl = string & { readonly checked: 'webhook-url' }

/** A webhook URL people may set: https to a public host (http and private hosts only when allowed, e.g. on a laptop). */
export function parseWebhookUrl(value: string | undefined, allowPrivate: boolean): WebhookUrl {
  let url: URL
  try {
    url = new URL((value ?? '').trim())
  } catch {
    throw invalid('url', 'url must be an absolute URL such as https://example.com/hooks/todo')
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw invalid('url', 'url must use https')
  if (url.username || url.password) throw invalid('url', 'url must not carry a user name or password')
  if (!allowPrivate) {
    // The URL parser has already turned 0x7f.1, 2130706433 and friends into dotted IPv4.
    if (isIpLiteral(url.hostname)) {
      if (!isPublicAddress(url.hostname)) throw invalid('url', 'url must point to a public host, not a loopback, private, link-local or reserved address')
    } else if (isInternalName(url.hostname)) {
      throw invalid('url', 'url must point to a public host name, not localhost, a single-label or an internal name')
    }
  }
  if (url.toString().length > 2000) throw invalid('url', 'url must be at most 2000 characters')
  return url.toString() as WebhookUrl
}

/** One way to reach a webhook: the URL with its host replaced by a checked address, and the names to keep. */
export interface PinnedTarget {
  /** Connects here: no second lookup can move the request elsewhere. */
  url: string
  /** The Host header: the name (and port) the URL was saved with. */
  host: string
  /** TLS SNI and the name the certificate must carry; absent for an IP literal. */
  serverName?: string
}

/** Why a delivery was not even attempted (stored as its last error). */
export class RefusedTarget extends Error {}

/**
 * Resolves the webhook's host once and checks every address it gave: one non-public address refuses the
 * whole name (unless private addresses are allowed). Returns a target per address, IPv4 first.
 */
export async function pinTargets(saved: string, allowPrivate: boolean, resolve: Resolve): Promise<PinnedTarget[]> {
  const url = new URL(saved)
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new RefusedTarget('webhook URL must use https')
  const literal = isIpLiteral(url.hostname)
  const name = url.hostname.replace(/\.+$/, '')
  if (!literal && !allowPrivate && isInternalName(name)) throw new RefusedTarget('webhook host is an internal name')
  const addresses = literal ? [url.hostname.replace(/^\[|\]$/g, '')] : await resolve(name)
  if (addresses.length === 0) throw new RefusedTarget('webhook host has no address')
  if (!allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a))
    if (refused !== undefined) throw new RefusedTarget(`webhook host resolves to a non-public address (${refused.slice(0, 60)})`)
  }
  const ordered = [...addresses.filter((a) => !a.includes(':')), ...addresses.filter((a) => a.includes(':'))]
  return ordered.map((address) => {
    const pinned = new URL(saved)
    pinned.hostname = address.includes(':') ? `[${address.replace(/%.*$/, '')}]` : address
    return { url: pinned.toString(), host: url.host, ...(literal ? {} : { serverName: name }) }
  })
}
