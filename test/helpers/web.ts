// Web page requests as a browser makes them: the session cookie, an HTML accept, an urlencoded form when given.
import type { TestApp } from './app'

/** The CSRF token a page carries (the hidden form field). */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

export async function browser(
  app: TestApp,
  method: string,
  path: string,
  options: { session?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { accept: 'text/html', ...options.headers }
  if (options.session) headers.cookie = `session=${options.session}${headers.cookie ? `; ${headers.cookie}` : ''}`
  let body: string | undefined
  if (options.form) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(options.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one)
    body = params.toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  const res = await app.app.handle(new Request(`http://localhost${path}`, { method, headers, body }))
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** A new account, signed in as a browser is: its session token and the CSRF token its pages carry. */
export async function signedInPage(app: TestApp): Promise<{ token: string; csrf: string }> {
  const { token } = await app.signUp()
  const page = await browser(app, 'GET', '/tasks', { session: token })
  return { token, csrf: csrfOf(page.text) }
}

/** Adds a task through the REST API and returns its id (failing the test if it is refused). */
export async function addTask(app: TestApp, who: { token: string }, body: Record<string, unknown>): Promise<string> {
  const res = await app.call('POST', '/api/v1/tasks', { token: who.token, body })
  if (res.status !== 201) throw new Error(`adding a task answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body.id
}
