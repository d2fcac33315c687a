// The static assets (htmx, our script and stylesheet, the icon): content-hashed names for the views, precompressed bytes for the route.
import { readFileSync } from 'node:fs'
import { compress } from '../src/lib/compression'
import { appPath } from '../src/lib/paths'

export interface Asset {
  name: string
  type: string
  raw: Uint8Array
  gzip: Uint8Array
  br: Uint8Array
  hash: string
}

const SOURCES: Record<string, { file: string; type: string }> = {
  'htmx.js': { file: appPath('node_modules', 'htmx.org', 'dist', 'htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'app.js': { file: appPath('views', 'assets', 'app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { file: appPath('views', 'assets', 'app.css'), type: 'text/css; charset=utf-8' },
  'icon.svg': { file: appPath('views', 'assets', 'icon.svg'), type: 'image/svg+xml' },
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

/** The asset a hashed file name (`app.3f2a9c1b7d0e.css`) names, if that is its current content. */
export function findAsset(file: string): Asset | undefined {
  const match = /^([a-z]+)\.([0-9a-f]{12})\.([a-z]+)$/.exec(file)
  const asset = match ? all().get(`${match[1]}.${match[3]}`) : undefined
  return asset && asset.hash === match![2] ? asset : undefined
}
