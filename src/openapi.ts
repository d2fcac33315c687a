// The OpenAPI document (/openapi/json) and its interactive page (/openapi), with Swagger UI served from our origin.
import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { FormatRegistry } from 'elysia/type-system'
import { appPath } from './lib/paths'
import { UUID } from './lib/secrets'

const ASSETS = appPath('node_modules', 'swagger-ui-dist')
const ASSET_TYPES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
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
        provider: 'swagger-ui',
        exclude: { paths: [/^\/openapi/] },
        swagger: {
          version: '5.35.0',
          cdn: '/openapi/assets/swagger-ui-bundle.js',
          theme: '/openapi/assets/swagger-ui.css',
          persistAuthorization: true,
        },
        documentation: {
          info: {
            title: 'todo-chatbot API',
            version,
            description:
              'Tasks, accounts and API tokens. Authenticate with "Authorization: Bearer <token>" (a session token from /api/v1/auth/login or a personal API token). Errors are { "error": { "code", "message", "field" } }.',
          },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
          security: [{ bearer: [] }],
        },
      }),
    )
    .get('/openapi/assets/:file', ({ params, status, set }) => {
      const type = ASSET_TYPES[params.file]
      if (!type) return status(404, { error: { code: 'not_found', message: 'No such asset' } })
      set.headers['content-type'] = type
      set.headers['cache-control'] = 'public, max-age=86400'
      return Bun.file(`${ASSETS}/${params.file}`)
    }, { detail: { hide: true } })
