// Static assets (htmx, our script and stylesheet) served from our origin under content-hashed names, precompressed.
import { readFileSync } from 'node:fs'
import { Elysia } from 'elysia'
import { compress, preferredEncoding } from './html'

interface Asset {
  name: string
  type: string
  raw: Uint8Array
  gzip: Uint8Array
  br: Uint8Array
  hash: string
}

const SOURCES: Record<string, { file: URL; type: string }> = {
  'htmx.js': { file: new URL('../../node_modules/htmx.org/dist/htmx.min.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  'app.js': { file: new URL('../../views/assets/app.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  'app.css': { file: new URL('../../views/assets/app.css', import.meta.url), type: 'text/css; charset=utf-8' },
  'icon.svg': { file: new URL('../../views/assets/icon.svg', import.meta.url), type: 'image/svg+xml' },
}

function load(): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const [name, { file, type }] of Object.entries(SOURCES)) {
    const raw = new Uint8Array(readFileSync(file))
    const hash = new Bun.CryptoHasher('sha256').update(raw).digest('hex').slice(0, 12)
    assets.set(name, { name, type, raw, gzip: compress(raw, 'gzip'), br: compress(raw, 'br'), hash })
  }
  return assets
}

let loaded: Map<string, Asset> | undefined
const all = () => (loaded ??= load())

/** The URL of an asset, e.g. `/assets/app.3f2a9c1b7d0e.css`: a new name whenever the content changes. */
export function assetUrl(name: keyof typeof SOURCES): string {
  const asset = all().get(name)!
  const dot = name.lastIndexOf('.')
  return `/assets/${name.slice(0, dot)}.${asset.hash}${name.slice(dot)}`
}

/** Serves the assets with year-long immutable caching (the name changes with the content). */
export const assetRoutes = () =>
  new Elysia({ name: 'assets' }).get(
    '/assets/:file',
    ({ params, request, status }) => {
      const match = /^([a-z]+)\.([0-9a-f]{12})\.([a-z]+)$/.exec(params.file)
      const asset = match ? all().get(`${match[1]}.${match[3]}`) : undefined
      if (!asset || asset.hash !== match![2]) return status(404, 'Not found')
      const encoding = preferredEncoding(request)
      const body = encoding ? asset[encoding] : asset.raw
      return new Response(body as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': asset.type,
          'cache-control': 'public, max-age=31536000, immutable',
          etag: `"${asset.hash}${encoding ? `-${encoding}` : ''}"`,
          vary: 'Accept-Encoding',
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
      })
    },
    { detail: { hide: true } },
  )
