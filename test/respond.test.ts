// Page plumbing: respond() picks the htmx fragment or the plain page (or redirect), render() joins views into HTML, and the form helpers.
import { describe, expect, test } from 'bun:test'
import { redirect } from '../src/lib/htmx'
import { all, field, filled, first } from '../src/web/forms'
import { render } from '../src/web/html'
import { respond } from '../src/web/respond'
import { ToastPartial } from '../views/layout'

const plainRequest = () => new Request('http://localhost/tasks', { headers: { accept: 'text/html' } })
const htmxRequest = () => new Request('http://localhost/tasks', { headers: { accept: 'text/html', 'hx-request': 'true' } })
const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]

describe('respond', () => {
  const answers = {
    htmx: () => ({ html: '<li>fragment</li>', headers: { 'hx-trigger': 'tasks-changed' } }),
    plain: (nonce: string) => ({ html: `<html><script nonce="${nonce}"></script>page</html>`, status: 201 }),
  }

  test('htmx gets the fragment with its headers', async () => {
    const res = await respond(htmxRequest(), answers)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('hx-trigger')).toBe('tasks-changed')
    expect(await res.text()).toBe('<li>fragment</li>')
  })

  test('a plain request gets the page, its scripts carrying the nonce the CSP allows', async () => {
    const res = await respond(plainRequest(), answers)
    expect(res.status).toBe(201)
    expect(res.headers.get('hx-trigger')).toBeNull()
    const nonce = nonceOf(res)
    expect(nonce).toBeTruthy()
    expect(await res.text()).toBe(`<html><script nonce="${nonce}"></script>page</html>`)
  })

  test('a branch may answer a ready Response, e.g. the redirect after a plain form post', async () => {
    const request = plainRequest()
    const res = await respond(request, { htmx: answers.htmx, plain: () => redirect(request, '/tasks?status=pending') })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/tasks?status=pending')
  })

  test('one answer serves both kinds of request; several elements are joined in order', async () => {
    const one = () => ({ html: ['<a>', ToastPartial({ message: 'Saved <b>', csrf: '' }), '</a>'], status: 422 })
    for (const request of [plainRequest(), htmxRequest()]) {
      const res = await respond(request, one)
      expect(res.status).toBe(422)
      const text = await res.text()
      expect(text).toStartWith('<a><hx-partial')
      expect(text).toContain('Saved &lt;b&gt;')
      expect(text).toEndWith('</a>')
    }
  })

  test('branches may be async; only the chosen one runs', async () => {
    let plainRan = false
    const res = await respond(htmxRequest(), {
      htmx: async () => ({ html: await Promise.resolve('<p>loaded</p>') }),
      plain: () => {
        plainRan = true
        return { html: '' }
      },
    })
    expect(await res.text()).toBe('<p>loaded</p>')
    expect(plainRan).toBe(false)
  })
})

describe('render', () => {
  test('joins views into one string', () => {
    expect(render('<p>a</p>', '<p>b</p>')).toBe('<p>a</p><p>b</p>')
    expect(render()).toBe('')
  })

  test('a view that turned asynchronous fails loudly instead of sending "[object Promise]"', () => {
    expect(() => render('<p>a</p>', Promise.resolve('<p>b</p>'))).toThrow(/asynchronously/)
  })
})

describe('form fields', () => {
  const form = { one: 'x', many: ['a', 'b'], blank: '  ', padded: ' y ', empty: [] as string[] }

  test('all: every value sent, in order', () => {
    expect(all(form.one)).toEqual(['x'])
    expect(all(form.many)).toEqual(['a', 'b'])
    expect(all(undefined)).toEqual([])
  })

  test('first and field: the first value as sent', () => {
    expect(first(form.many)).toBe('a')
    expect(first(form.empty)).toBeUndefined()
    expect(field(form, 'padded')).toBe(' y ')
    expect(field(form, 'blank')).toBe('  ')
    expect(field(form, 'missing')).toBeUndefined()
  })

  test('filled: trimmed, and undefined when blank', () => {
    expect(filled(form, 'padded')).toBe('y')
    expect(filled(form, 'blank')).toBeUndefined()
    expect(filled(form, 'missing')).toBeUndefined()
  })
})
