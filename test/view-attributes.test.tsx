// Attribute values built from text reach the browser as the text: "&" and quotes escaped by the views' JSX factory.
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { Html } from '../views/html'

test('an "&" or a quote in text is escaped in every attribute, and reads back as typed', () => {
  const title = 'Fish &amp; chips for "Bob" <3'
  const html = String(<input value={title} aria-label={`Edit "${title}"`} />)
  expect(html).toBe('<input value="Fish &amp;amp; chips for &#34;Bob&#34; <3" aria-label="Edit &#34;Fish &amp;amp; chips for &#34;Bob&#34; <3&#34;"/>')
  // As a browser decodes the attribute: the text itself.
  let read: string | null = null
  new HTMLRewriter().on('input', { element: (e) => void (read = e.getAttribute('value')) }).transform(html)
  expect(decodeEntities(read!)).toBe(title)
})

test('components get their props as given: only elements escape', () => {
  const Echo = ({ text }: { text: string }) => <span safe>{text}</span>
  expect(String(<Echo text="a & b" />)).toBe('<span>a &amp; b</span>')
})

test('every view takes its JSX factory from views/html.ts, so none escapes attributes by halves', () => {
  const dir = new URL('../views/', import.meta.url).pathname
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tsx'))) {
    const source = readFileSync(dir + file, 'utf8')
    expect({ file, kita: /import \{[^}]*\bHtml\b[^}]*\} from '@elysiajs\/html'/.test(source) }).toEqual({ file, kita: false })
  }
})

/** The entities Kita and views/html.ts write: `&amp;` last, so "&amp;amp;" comes back as "&amp;". */
const decodeEntities = (value: string) => value.replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
