// todo-chatbot: the little behaviour htmx does not do for us. No inline script, no eval: CSP stays strict.
(() => {
  'use strict'

  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))

  // Keyboard: "n" focuses the quick add; "u" undoes what the newest toast offers; Escape cancels an inline edit.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
    if (event.key === 'n' && !typing(document.activeElement)) {
      const title = document.getElementById('qa-title')
      if (title) {
        event.preventDefault()
        title.focus()
      }
    } else if (event.key === 'u' && !typing(document.activeElement)) {
      const undo = [...document.querySelectorAll('#toasts .toast:not([hidden]) .undo')].pop()
      if (undo) {
        event.preventDefault()
        undo.click()
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

  // Subtasks: Ctrl+] indents the task whose row has the focus (under the task above it at its level), Ctrl+[ outdents
  // it (one level up); ⌘ on a Mac. They submit the row's own Indent and Outdent forms (its Subtasks menu), so the
  // server decides and a refusal comes back as a toast; focus returns to the row once the list reloads.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
    const which = event.key === ']' || event.code === 'BracketRight' ? 'indent' : event.key === '[' || event.code === 'BracketLeft' ? 'outdent' : null
    const row = which && event.target instanceof Element ? event.target.closest('li.task[data-id]') : null
    const form = row && row.querySelector(`form[data-${which}]`)
    if (!form) return
    event.preventDefault()
    form.requestSubmit()
  })

  // The task list's group headings: Overdue's button folds its tasks away, and the list remembers that for the
  // session (a list swapped in again, or a page more, stays folded).
  const FOLDED = 'todo.folded-groups'
  const folded = () => {
    try {
      return new Set(JSON.parse(sessionStorage.getItem(FOLDED) || '[]'))
    } catch {
      return new Set()
    }
  }
  const applyFolds = () => {
    const groups = folded()
    for (const button of document.querySelectorAll('button[data-fold]')) {
      const open = !groups.has(button.getAttribute('data-fold'))
      button.setAttribute('aria-expanded', String(open))
      const list = document.getElementById(button.getAttribute('aria-controls'))
      if (list) list.hidden = !open
    }
  }
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-fold]') : null
    if (!button) return
    const groups = folded()
    const group = button.getAttribute('data-fold')
    if (button.getAttribute('aria-expanded') === 'true') groups.add(group)
    else groups.delete(group)
    try {
      sessionStorage.setItem(FOLDED, JSON.stringify([...groups]))
    } catch {}
    applyFolds()
  })
  document.addEventListener('htmx:after:settle', applyFolds)
  applyFolds()

  // Copy buttons (`data-copy="#id"`): the element's text to the clipboard, and the button says it worked.
  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null
    const source = button && document.querySelector(button.getAttribute('data-copy'))
    if (!source) return
    const label = button.getAttribute('data-label') || button.textContent
    button.setAttribute('data-label', label)
    try {
      await navigator.clipboard.writeText(source.textContent.trim())
      button.textContent = 'Copied'
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the text so the keyboard can copy it.
      getSelection().selectAllChildren(source)
      button.textContent = 'Press Ctrl+C to copy'
    }
    setTimeout(() => (button.textContent = label), 4000)
  })

  // Upcoming: drag a task onto another day. The drop fills in the task's own move form (the keyboard
  // way to do the same) and submits it, so htmx, CSRF and errors work as for a typed date.
  document.addEventListener('dragstart', (event) => {
    const item = event.target instanceof Element ? event.target.closest('.upcoming-item[data-id]') : null
    if (!item || !event.dataTransfer) return
    event.dataTransfer.setData('text/plain', item.getAttribute('data-id'))
    event.dataTransfer.effectAllowed = 'move'
  })
  const dayOf = (event) => (event.target instanceof Element ? event.target.closest('.upcoming section.day[data-day]') : null)
  document.addEventListener('dragover', (event) => {
    const day = dayOf(event)
    if (!day) return
    event.preventDefault()
    for (const other of document.querySelectorAll('.day.drop-target')) if (other !== day) other.classList.remove('drop-target')
    day.classList.add('drop-target')
  })
  document.addEventListener('dragleave', (event) => {
    const day = dayOf(event)
    if (day && !day.contains(event.relatedTarget)) day.classList.remove('drop-target')
  })
  document.addEventListener('drop', (event) => {
    const day = dayOf(event)
    if (!day || !event.dataTransfer) return
    event.preventDefault()
    day.classList.remove('drop-target')
    const id = event.dataTransfer.getData('text/plain')
    const item = document.getElementById(`upcoming-${id}`)
    const form = item && item.querySelector('form.move')
    if (!form || item.closest('section.day') === day) return
    form.querySelector('input[name="date"]').value = day.getAttribute('data-day')
    form.requestSubmit()
  })

  // Upcoming: a row's menu (⋯) closes with Escape, focus back on it; opening one closes the others.
  document.addEventListener('keydown', (event) => {
    const menu = event.key === 'Escape' && event.target instanceof Element ? event.target.closest('details.row-menu[open]') : null
    if (!menu) return
    event.preventDefault()
    menu.open = false
    menu.querySelector('summary').focus()
  })
  document.addEventListener(
    'toggle',
    (event) => {
      const menu = event.target
      if (!(menu instanceof HTMLDetailsElement) || !menu.matches('details.row-menu') || !menu.open) return
      for (const other of document.querySelectorAll('details.row-menu[open]')) if (other !== menu) other.open = false
    },
    true,
  )

  // Calendar: arrow keys move between days (a week up or down), Page Up / Page Down change the month.
  document.addEventListener('keydown', (event) => {
    const link = event.target instanceof Element ? event.target.closest('table.month a.day-link') : null
    if (!link || event.ctrlKey || event.metaKey || event.altKey) return
    const steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }
    if (event.key in steps) {
      const links = [...document.querySelectorAll('table.month a.day-link')]
      const next = links[links.indexOf(link) + steps[event.key]]
      if (next) {
        event.preventDefault()
        next.focus()
      }
    } else if (event.key === 'PageUp' || event.key === 'PageDown') {
      const nav = document.querySelector(`[data-month-nav="${event.key === 'PageUp' ? 'prev' : 'next'}"]`)
      if (nav) {
        event.preventDefault()
        nav.click()
      }
    }
  })
  // After a month change, focus stays in the grid: on today, else on the month's first day.
  document.addEventListener('htmx:after:settle', () => {
    const grid = document.querySelector('table.month')
    if (!grid || !document.activeElement || document.activeElement !== document.body) return
    const target = grid.querySelector('a.day-link[aria-current="date"]') || grid.querySelector('td:not(.outside) a.day-link')
    if (target) target.focus()
  })

  // Sign-up takes the browser's time zone.
  for (const input of document.querySelectorAll('[data-browser-timezone]')) {
    try {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''
    } catch {}
  }

  // Bulk actions: "Select all", and the action buttons offered only while a task is selected (by mouse or by Space
  // on a box alike, since both fire "change"). The server renders them enabled, so they still work without script.
  const syncBulk = () => {
    const any = document.querySelector('input[form="bulk"][name="ids"]:checked') !== null
    for (const button of document.querySelectorAll('#bulk button[name="action"]')) button.disabled = !any
  }
  document.addEventListener('change', (event) => {
    const box = event.target
    if (!(box instanceof HTMLInputElement)) return
    if (box.matches('[data-select-all]')) for (const item of document.querySelectorAll('input[form="bulk"][name="ids"]')) item.checked = box.checked
    if (box.matches('[data-select-all], input[form="bulk"][name="ids"]')) syncBulk()
  })
  // A list swapped in (a filter, a page more, a task changed) brings boxes of its own; a page shown again from the
  // back-forward cache keeps the boxes it had.
  document.addEventListener('htmx:after:settle', syncBulk)
  window.addEventListener('pageshow', syncBulk)
  syncBulk()

  // Toasts leave by themselves, but not while the pointer or the keyboard focus is on one; their dismiss button too.
  const timers = new WeakSet()
  const leave = (toast) => (toast.matches(':hover, :focus-within') ? setTimeout(() => leave(toast), 1000) : toast.remove())
  const arm = (root) => {
    for (const toast of root.querySelectorAll ? root.querySelectorAll('.toast[data-autodismiss]') : []) {
      if (timers.has(toast)) continue
      timers.add(toast)
      setTimeout(() => leave(toast), Number(toast.dataset.autodismiss) || 4000)
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

  // Browser notifications, where the person allowed them: the bell, refreshed live, brings news of a fired reminder.
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

  // The assistant: send without leaving the page and show the reply as it is written (no-JS: the form posts).
  const chatForm = document.getElementById('chat-form')
  // The newest messages are the ones to see: the conversation opens at its end.
  const chatLog = document.getElementById('chat-log')
  if (chatLog) chatLog.scrollTop = chatLog.scrollHeight
  if (chatForm && window.fetch && window.ReadableStream) {
    const log = chatLog
    const bubble = (role, text) => {
      const li = document.createElement('li')
      li.className = `msg ${role}`
      const p = document.createElement('p')
      p.textContent = text
      li.append(p)
      log.append(li)
      log.scrollTop = log.scrollHeight
      return li
    }
    // The assistant's change, announced with an Undo that sends "undo" to the same conversation.
    const undoToast = (said) => {
      const toasts = document.getElementById('toasts')
      if (!toasts) return
      const toast = document.createElement('div')
      toast.className = 'toast info'
      toast.dataset.autodismiss = '7000'
      const text = document.createElement('span')
      text.textContent = said
      const undo = document.createElement('button')
      undo.type = 'button'
      undo.className = 'link undo'
      undo.textContent = 'Undo'
      undo.addEventListener('click', () => {
        toast.remove()
        chatForm.querySelector('[name=message]').value = 'undo'
        chatForm.requestSubmit()
      })
      const dismiss = document.createElement('button')
      dismiss.type = 'button'
      dismiss.className = 'dismiss'
      dismiss.setAttribute('aria-label', 'Dismiss')
      dismiss.textContent = '×'
      toast.append(text, undo, dismiss)
      toasts.append(toast)
    }
    chatForm.addEventListener('submit', async (event) => {
      event.preventDefault()
      const data = new FormData(chatForm)
      const message = String(data.get('message') || '').trim()
      if (!message) return
      chatForm.querySelector('[name=message]').value = ''
      bubble('user', message)
      const reply = bubble('assistant pending', '')
      const text = reply.querySelector('p')
      const button = chatForm.querySelector('button')
      button.disabled = true
      try {
        const res = await fetch(chatForm.dataset.chatStream, { method: 'POST', body: new URLSearchParams(data), headers: { 'x-csrf-token': data.get('_csrf') } })
        if (!res.ok || !res.body) throw new Error(res.status === 429 ? 'Too many messages; wait a moment.' : `The assistant answered ${res.status}.`)
        const reader = res.body.getReader()
        const decoder = new TextDecoder()
        let buffer = ''
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buffer += decoder.decode(value, { stream: true })
          let nl
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = JSON.parse(buffer.slice(0, nl))
            buffer = buffer.slice(nl + 1)
            if (line.delta) text.textContent += line.delta
            if (line.error) {
              text.textContent = line.error
              reply.classList.add('error')
            }
            if (line.done) {
              text.textContent = line.done.reply
              chatForm.querySelector('[name=conversation_id]').value = line.done.conversation_id
              if (line.done.changed.length) {
                const note = document.createElement('p')
                note.className = 'hint'
                note.textContent = `Changed: ${line.done.changed.join(', ').replaceAll('_', ' ')}`
                reply.append(note)
              }
              // Only the newest change can be undone: older Undo buttons go; this one comes as a toast too.
              for (const old of log.querySelectorAll('.chat-undo')) old.remove()
              if (line.done.can_undo) undoToast(line.done.reply)
            }
          }
        }
      } catch (error) {
        text.textContent = error.message
      } finally {
        reply.classList.remove('pending')
        button.disabled = false
        chatForm.querySelector('[name=message]').focus()
      }
    })
  }

  // Live updates (docs/architecture.md, "Live updates"): the server says what changed for this person (tasks,
  // reminders, notifications); each part of the page that shows one (`data-live="tasks"`) fetches itself again
  // (`data-live-url`, else its hx-get) and is morphed in, so focus, scroll and what is being typed stay. A part with a
  // task being edited in place waits until the edit is saved or cancelled. A lost stream is opened again by the
  // browser; then every part refreshes once, for what it missed.
  const stale = new Set()
  // A plain form posted: the page is on its way out, and the next one is fetched after the change anyway.
  let leaving = false
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (!event.defaultPrevented && form instanceof HTMLFormElement && !form.matches('[hx-post], [hx-get]')) leaving = true
  })
  const refreshLive = (kinds) => {
    if (leaving) return
    for (const part of document.querySelectorAll('[data-live]')) {
      if (!part.dataset.live.split(' ').some((kind) => kinds.includes(kind))) continue
      if (part.querySelector('form.edit')) {
        stale.add(part.id)
        continue
      }
      const url = part.dataset.liveUrl || part.getAttribute('hx-get')
      // A part of a whole page (`data-live-select`) is picked out of it by its id.
      const select = part.hasAttribute('data-live-select') ? `#${part.id}` : undefined
      if (!url || !window.htmx) continue
      const folds = foldsOf(part)
      htmx
        .ajax('GET', url, { source: part, target: part, swap: 'outerMorph', select })
        .then(() => restoreFolds(part.id ? document.getElementById(part.id) : part, folds))
        .catch(() => {})
    }
  }
  // What the person opened or folded in a part (Today's overdue, a row's menu) stays as they left it: the server's
  // answer says how a fold starts, not how this person has it now.
  const foldKey = (fold) => `${fold.closest('[data-id]')?.getAttribute('data-id') || ''}|${fold.className}`
  const foldsOf = (part) => new Map([...part.querySelectorAll('details')].map((fold) => [foldKey(fold), fold.open]))
  const restoreFolds = (part, folds) => {
    if (!part) return
    for (const fold of part.querySelectorAll('details')) {
      const open = folds.get(foldKey(fold))
      if (open !== undefined && fold.open !== open) fold.open = open
    }
  }
  document.addEventListener('htmx:after:settle', () => {
    if (!stale.size || document.querySelector('[data-live] form.edit')) return
    stale.clear()
    refreshLive(['tasks', 'reminders', 'notifications'])
  })
  // The page's own requests name its stream: what they change is already on the page (with a notice about it), so
  // the server does not echo it back here; every other page of the person's hears of it.
  let liveId
  document.addEventListener('htmx:config:request', (event) => {
    if (liveId && event.detail && event.detail.ctx) event.detail.ctx.request.headers['X-Live-Stream'] = liveId
  })
  if (document.querySelector('[data-live]') && window.EventSource) {
    let source
    let retry = 5000
    // Live updates stopped (a lost stream not back within a few seconds, or refused): the page says it may be out of
    // date and polls the bell meanwhile, so reminders still show; once a stream opens again, every part catches up.
    const status = document.getElementById('live-status')
    let staleTimer
    let poll
    // Across reconnections: a stream refused and then opened again by `connect` still owes the page a catch-up.
    let lost = false
    const paused = (now) => {
      clearTimeout(staleTimer)
      if (status) status.hidden = !now
      if (now && !poll) poll = setInterval(() => refreshLive(['notifications']), 30000)
      if (!now) poll = clearInterval(poll)
    }
    const connect = () => {
      source = new EventSource('/live')
      source.addEventListener('hello', (event) => (liveId = event.data))
      source.addEventListener('change', (event) => refreshLive(event.data.split(' ')))
      source.addEventListener('open', () => {
        retry = 5000
        paused(false)
        if (lost) refreshLive(['tasks', 'reminders', 'notifications'])
        lost = false
      })
      source.addEventListener('error', () => {
        if (!lost) staleTimer = setTimeout(() => paused(true), 3000)
        lost = true
        // Refused (live updates paused on the server, too many tabs, signed out): the browser gives up, so try again
        // later, less often, each page at its own moment so a replica's pages do not all come back at once.
        if (source.readyState === EventSource.CLOSED) {
          paused(true)
          setTimeout(connect, retry * (0.5 + Math.random()))
          retry = Math.min(retry * 2, 60000)
        }
      })
    }
    connect()
    // A page left from the back-forward cache keeps no stream open.
    window.addEventListener('pagehide', () => source && source.close())
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) {
        leaving = false
        connect()
        refreshLive(['tasks', 'reminders', 'notifications'])
      }
    })
  }

  // Focus is never dropped: after a task's row is swapped (complete, save) focus goes back into it, on its
  // complete button; after it is deleted, to the next row's (or the one before, or the quick add); after an
  // add, to the add box.
  let acted
  document.addEventListener('htmx:before:request', (event) => {
    // A part refreshing itself (a live update, the list after an add) leaves what the person did alone.
    if (event.target instanceof Element && event.target.matches('[data-live]')) return
    // An add box whose view is swapped in again: keep typing in the new one.
    if (event.target instanceof Element && event.target.closest('#quick-add')) return (acted = { quick: true })
    const row = event.target instanceof Element ? event.target.closest('li.task[data-id]') : null
    if (!row) return (acted = undefined)
    const rows = [...document.querySelectorAll('li.task[data-id]')]
    const at = rows.indexOf(row)
    acted = { id: row.dataset.id, next: rows[at + 1]?.dataset.id, previous: rows[at - 1]?.dataset.id }
  })
  document.addEventListener('htmx:after:settle', () => {
    if (!acted || (document.activeElement && document.activeElement !== document.body)) return
    const { id, next, previous, quick } = acted
    acted = undefined
    if (quick) return document.getElementById('qa-title')?.focus()
    if (document.querySelector('form.edit')) return
    const row = [id, next, previous].map((x) => x && document.getElementById(`task-${x}`)).find(Boolean)
    const target = row ? row.querySelector('form.toggle button, button, a') : document.getElementById('qa-title')
    if (target) target.focus()
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
