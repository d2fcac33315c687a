// Response compression: the encoding a client accepts (br before gzip), and compressing bytes with it.
import { brotliCompressSync, constants } from 'node:zlib'

/** Picks the best encoding the client accepts among br and gzip. */
export function preferredEncoding(request: Request): 'br' | 'gzip' | undefined {
  const accept = request.headers.get('accept-encoding') ?? ''
  if (/\bbr\b/.test(accept)) return 'br'
  if (/\bgzip\b/.test(accept)) return 'gzip'
  return undefined
}

export function compress(body: Uint8Array, encoding: 'br' | 'gzip'): Uint8Array {
  if (encoding === 'gzip') return Bun.gzipSync(body as Uint8Array<ArrayBuffer>)
  // Brotli at a quality that keeps render-time compression cheap.
  return new Uint8Array(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }))
}
