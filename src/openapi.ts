// The OpenAPI document (/openapi/json) and its interactive page (/openapi), with Swagger UI served from our origin.
import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { FormatRegistry } from 'elysia/type-system'
import { appPath } from './lib/paths'
import { UUID } from './lib/secrets'
import { htmlResponse, newNonce, render } from './web/html'
import { ApiDocsPage } from '../views/api-docs'

const SWAGGER = appPath('node_modules', 'swagger-ui-dist')
const OURS = appPath('views', 'assets')
const ASSETS: Record<string, { dir: string; type: string }> = {
  'swagger-ui-bundle.js': { dir: SWAGGER, type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { dir: SWAGGER, type: 'text/css; charset=utf-8' },
  'api-docs.js': { dir: OURS, type: 'text/javascript; charset=utf-8' },
  'api-docs.css': { dir: OURS, type: 'text/css; charset=utf-8' },
}

const INFO = {
  title: 'todo-chatbot API',
  description:
    'Tasks, accounts and API tokens. Authenticate with "Authorization: Bearer <token>" (a session token from /api/v1/auth/login or a personal API token). Errors are { "error": { "code", "message", "field" } }.',
}

// @elysiajs/openapi registers TypeBox formats that build a new zod schema for every value they check; the `uuid`
// format of our response schemas ran it on every answer (a visible share of CPU under bench/load.ts). This runs
// after the plugin's module has registered its own, and checks the same shape with our one compiled pattern.
FormatRegistry.Set('uuid', (value) => UUID.test(value))

export const openapiDocs = (version: string) =>
  new Elysia({ name: 'openapi' })
    .use(
      openapi({
        path: '/openapi',
        // The plugin's own page pastes the description into a meta tag's attribute unescaped (a quote in it
        // ended the attribute and showed the rest as text): our page is a view instead (views/api-docs.tsx).
        provider: null,
        exclude: { paths: [/^\/openapi/] },
        documentation: {
          info: { ...INFO, version },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
          security: [{ bearer: [] }],
        },
      }),
    )
    .get(
      '/openapi',
      ({ request }) => {
        const nonce = newNonce()
        return htmlResponse(request, render(ApiDocsPage({ ...INFO, specUrl: '/openapi/json', nonce })), { nonce })
      },
      { detail: { hide: true } },
    )
    .get('/openapi/assets/:file', ({ params, status, set }) => {
      const asset = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined
      if (!asset) return status(404, { error: { code: 'not_found', message: 'No such asset' } })
      set.headers['content-type'] = asset.type
      set.headers['cache-control'] = 'public, max-age=86400'
      return Bun.file(`${asset.dir}/${params.file}`)
    }, { detail: { hide: true } })
