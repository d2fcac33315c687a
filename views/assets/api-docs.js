// The API docs page (/openapi): starts Swagger UI on the document the page names. A file, not inline code, so the
// page's Content-Security-Policy needs no 'unsafe-inline'. It also turns on Swagger UI's own dark theme when the
// person prefers dark, and adds a plugin for what axe-core finds in its markup (test/a11y.test.ts scans the page).
;(() => {
  'use strict'

  // Swagger UI styles a dark theme under html.dark-mode but does not set it: follow the system's preference.
  const dark = window.matchMedia('(prefers-color-scheme: dark)')
  const follow = () => document.documentElement.classList.toggle('dark-mode', dark.matches)
  follow()
  dark.addEventListener('change', follow)

  // Its copy button sits in a <div aria-label>, which ARIA prohibits (a div without a role has no name): the same
  // button, named on the button alone. A click copies the path and does not also open the operation.
  const COPY = 'Copy path to clipboard'
  const AccessibleDocs = (system) => ({
    components: {
      CopyToClipboardBtn: ({ textToCopy }) => {
        const h = system.React.createElement
        const copy = (event) => {
          event.stopPropagation()
          if (navigator.clipboard) navigator.clipboard.writeText(textToCopy).catch(() => {})
        }
        return h('div', { className: 'view-line-link copy-to-clipboard', title: COPY }, h('button', { type: 'button', 'aria-label': COPY, title: COPY, onClick: copy }))
      },
    },
  })

  window.addEventListener('DOMContentLoaded', () => {
    const root = document.getElementById('swagger-ui')
    window.ui = window.SwaggerUIBundle({ url: root.getAttribute('data-url'), dom_id: '#swagger-ui', persistAuthorization: true, plugins: [AccessibleDocs] })
  })
})()
