// The API docs page (/openapi): Swagger UI over our OpenAPI document, served from our origin. Built as a view like
// every page, so its title and description are escaped as any text in an attribute is (views/html.ts), and its
// start-up is a script file, not inline code: the page keeps the app's strict Content-Security-Policy.
import { Html } from './html'

export interface ApiDocsProps {
  title: string
  description: string
  /** Where Swagger UI reads the document (GET /openapi/json). */
  specUrl: string
  nonce: string
}

export function ApiDocsPage({ title, description, specUrl, nonce }: ApiDocsProps) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title}</title>
          <meta name="description" content={description} />
          <meta property="og:description" content={description} />
          <link rel="stylesheet" href="/openapi/assets/swagger-ui.css" />
          <link rel="stylesheet" href="/openapi/assets/api-docs.css" />
          <script src="/openapi/assets/swagger-ui-bundle.js" defer nonce={nonce}></script>
          <script src="/openapi/assets/api-docs.js" defer nonce={nonce}></script>
        </head>
        <body>
          <p class="back">
            <a href="/settings">← Back to todo-chatbot</a>
          </p>
          <div id="swagger-ui" data-url={specUrl}></div>
        </body>
      </html>
    </>
  )
}
