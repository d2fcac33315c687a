// Serves the static assets under their content-hashed names with year-long immutable caching.
import { Elysia } from 'elysia'
import { findAsset } from '../../views/assets'
import { preferredEncoding } from '../lib/compression'

export const assetRoutes = () =>
  new Elysia({ name: 'assets' }).get(
    '/assets/:file',
    ({ params, request, status }) => {
      const asset = findAsset(params.file)
      if (!asset) return status(404, 'Not found')
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
