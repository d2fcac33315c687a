// The JSX factory of every view: @kitajs/html's, with attribute values escaped in full. Kita escapes only `"` in
// an attribute, so an `&` in text went out as is and the browser read entities in it: a task titled "Fish &amp;
// chips" came back as "Fish & chips" in its edit form's value (and saving it changed the title), and in labels
// and meta tags. Here an `&` in a string attribute becomes `&amp;` first; Kita then escapes the quotes.
import { Html as Kita } from '@elysiajs/html'

/** Keys Kita reads itself, not attributes of the element (`attrs` is raw markup by design; `style` is built from an object). */
const NOT_TEXT = new Set(['children', 'safe', 'of', 'attrs', 'style'])

function escapeAmpersands(attributes: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined
  for (const key in attributes) {
    const value = attributes[key]
    if (typeof value === 'string' && value.includes('&') && !NOT_TEXT.has(key)) {
      copy ??= { ...attributes }
      copy[key] = value.replaceAll('&', '&amp;')
    }
  }
  return copy ?? attributes
}

const createElement = ((name: unknown, attributes: Record<string, unknown> | null, ...children: unknown[]) =>
  // Components get their props as given: only an element's attributes are markup.
  (Kita.createElement as (...args: unknown[]) => JSX.Element)(name, typeof name === 'string' && attributes ? escapeAmpersands(attributes) : attributes, ...children)) as typeof Kita.createElement

export const Html: typeof Kita = { ...Kita, createElement, h: createElement }
