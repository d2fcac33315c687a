// todo-chatbot: the little behaviour htmx does not do for us. No inline script, no eval: CSP stays strict.
(() => {
  'use strict'

  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))

  // Keyboard: "n" focuses the quick add; Escape cancels an inline edit.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
    if (event.key === 'n' && !typing(document.activeElement)) {
      const title = document.getElementById('qa-title')
      if (title) {
        event.preventDefault()
        title.focus()
      }
    } else if (event.key === 'Escape') {
      const form = event.target instanceof Element ? event.target.closest('form.edit') : null
      const cancel = form && form.querySelector('[data-cancel]')
      if (cancel) {
        event.preventDefault()
        cancel.click()
      }
    }
  })

  // Sign-up takes the browser's time zone.
  for (const input of document.querySelectorAll('[data-browser-timezone]')) {
    try {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''
    } catch {}
  }

  // Select all for bulk actions.
  document.addEventListener('change', (event) => {
    const box = event.target
    if (!(box instanceof HTMLInputElement) || !box.matches('[data-select-all]')) return
    for (const item of document.querySelectorAll('input[form="bulk"][name="ids"]')) item.checked = box.checked
  })

  // Toasts leave by themselves; their dismiss button too.
  const timers = new WeakSet()
  const arm = (root) => {
    for (const toast of root.querySelectorAll ? root.querySelectorAll('.toast[data-autodismiss]') : []) {
      if (timers.has(toast)) continue
      timers.add(toast)
      setTimeout(() => toast.remove(), Number(toast.dataset.autodismiss) || 4000)
    }
  }
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('.toast .dismiss') : null
    if (button) button.closest('.toast').remove()
  })
  const toasts = document.getElementById('toasts')
  if (toasts) new MutationObserver(() => arm(toasts)).observe(toasts, { childList: true })

  // An undo hides its toast at once (removing it would cancel the request htmx is sending).
  document.addEventListener('submit', (event) => {
    const toast = event.target instanceof Element ? event.target.closest('.toast') : null
    if (toast) toast.hidden = true
  })

  // Relative times ("in 3 h") stay true while the page is open.
  const relative = (iso) => {
    const diff = Date.parse(iso) - Date.now()
    const abs = Math.abs(diff)
    const m = 60000
    if (abs < m) return 'now'
    const text = abs < 60 * m ? `${Math.round(abs / m)} min` : abs < 48 * 60 * m ? `${Math.round(abs / (60 * m))} h` : `${Math.round(abs / (24 * 60 * m))} d`
    return diff > 0 ? `in ${text}` : `${text} ago`
  }
  setInterval(() => {
    for (const el of document.querySelectorAll('[data-relative]')) el.textContent = relative(el.dataset.relative)
  }, 30000)

  // Browser notifications, where the person allowed them: the bell's poll brings news of a fired reminder.
  const enable = document.querySelector('[data-enable-notifications]')
  if (enable && 'Notification' in window && Notification.permission === 'default') {
    enable.hidden = false
    enable.addEventListener('click', () => Notification.requestPermission().then(() => (enable.hidden = true)))
  }
  document.addEventListener('htmx:after:swap', () => {
    const bell = document.getElementById('bell')
    if (!bell || !('Notification' in window) || Notification.permission !== 'granted') return
    const id = bell.dataset.latestId
    if (!id || sessionStorage.getItem('todo-last-notified') === id) return
    sessionStorage.setItem('todo-last-notified', id)
    new Notification(bell.dataset.latestTitle || 'Reminder', { body: bell.dataset.latestBody || '', tag: id })
  })

  // After a quick add, keep typing: focus returns to the title. After an edit swaps in, focus its title.
  document.addEventListener('htmx:after:swap', (event) => {
    const target = event.detail && event.detail.ctx && event.detail.ctx.target
    if (!(target instanceof Element)) return
    if (target.id === 'quick-add' || target.closest?.('#quick-add')) document.getElementById('qa-title')?.focus()
  })
  document.addEventListener('htmx:after:settle', () => {
    const edit = document.querySelector('form.edit [autofocus]')
    if (edit && document.activeElement !== edit) edit.focus()
  })
})()
