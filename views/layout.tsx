// The page shell: head (our own CSS and scripts, htmx config), the top bar, the live region for toasts.
import type { PropsWithChildren } from '@elysiajs/html'
import { Html } from './html'
import { assetUrl } from './assets'
import { BellIcon } from './icons'

export interface ShellProps {
  title: string
  nonce: string
  /** The CSRF token: every htmx request sends it as a header, every form as a field. */
  csrf: string
  /** The signed-in user's email, for the top bar; absent on the sign-in pages. */
  email?: string
  active?: 'tasks' | 'today' | 'upcoming' | 'calendar' | 'progress' | 'chat' | 'audit' | 'settings'
}

export function Layout({ title, nonce, csrf, email, active, children }: PropsWithChildren<ShellProps>) {
  const htmxConfig = JSON.stringify({ includeIndicatorCSS: false, inlineScriptNonce: nonce, defaultTimeout: 15000 })
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title} · todo-chatbot</title>
          <meta name="htmx-config" content={htmxConfig} />
          <link rel="icon" href={assetUrl('icon.svg')} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <script src={assetUrl('htmx.js')} defer nonce={nonce}></script>
          <script src={assetUrl('app.js')} defer nonce={nonce}></script>
        </head>
        <body hx-headers:inherited={JSON.stringify({ 'X-CSRF-Token': csrf })}>
          <a class="skip" href="#main">Skip to content</a>
          <header class="topbar">
            <a class="brand" href={email ? '/tasks' : '/login'}>
              <img src={assetUrl('icon.svg')} alt="" width="22" height="22" /> todo-chatbot
            </a>
            {email ? (
              <nav aria-label="Main">
                <a href="/today" aria-current={active === 'today' ? 'page' : undefined}>Today</a>
                <a href="/upcoming" aria-current={active === 'upcoming' ? 'page' : undefined}>Upcoming</a>
                <a href="/calendar" aria-current={active === 'calendar' ? 'page' : undefined}>Calendar</a>
                <a href="/progress" aria-current={active === 'progress' ? 'page' : undefined}>Progress</a>
                <a href="/tasks" aria-current={active === 'tasks' ? 'page' : undefined}>Tasks</a>
                <a href="/chat" aria-current={active === 'chat' ? 'page' : undefined}>Assistant</a>
                <a href="/audit" aria-current={active === 'audit' ? 'page' : undefined}>Activity</a>
                <a href="/settings" aria-current={active === 'settings' ? 'page' : undefined}>Settings</a>
                <a id="bell" class="bell" href="/notifications" hx-get="/notifications/bell" hx-trigger="load" hx-swap="outerHTML" data-live="notifications" data-live-url="/notifications/bell" aria-label="Notifications">
                  <BellIcon />
                </a>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button type="submit" class="link" title={`Signed in as ${email}`}>Log out</button>
                </form>
              </nav>
            ) : (
              ''
            )}
          </header>
          {email ? (
            <p id="live-status" class="live-status" role="status" hidden>
              Live updates are paused: this page may be out of date. It catches up by itself when they are back.
            </p>
          ) : (
            ''
          )}
          <main id="main" tabindex="-1">
            {children}
          </main>
          <div id="toasts" class="toasts" role="status" aria-live="polite"></div>
        </body>
      </html>
    </>
  )
}

/** What a toast's Undo does: restore deleted tasks, or reopen completed ones. */
export interface ToastUndo {
  action: 'restore' | 'reopen'
  ids: string[]
}

/** A message that comes and goes; `undo` adds a button that takes the change back (kept 7 s, and while focused). */
export function Toast({ message, undo, csrf, kind = 'info' }: { message: string; undo?: ToastUndo; csrf: string; kind?: 'info' | 'error' }) {
  return (
    <div class={`toast ${kind}`} data-autodismiss={undo ? '7000' : '4000'} role={kind === 'error' ? 'alert' : undefined}>
      <span safe>{message}</span>
      {undo && undo.ids.length > 0 ? (
        <form method="post" action={`/tasks/${undo.action}`} hx-post={`/tasks/${undo.action}`} hx-swap="none" class="inline">
          <input type="hidden" name="_csrf" value={csrf} />
          {undo.ids.map((id) => (
            <input type="hidden" name="ids" value={id} />
          ))}
          <button type="submit" class="link undo" aria-keyshortcuts="u" title="Undo (u)">
            Undo
          </button>
        </form>
      ) : (
        ''
      )}
      <button type="button" class="dismiss" aria-label="Dismiss">×</button>
    </div>
  )
}

/** Content swapped into another part of the page by the same response (htmx 4 partials). */
export function Partial({ target, swap, children }: PropsWithChildren<{ target: string; swap: string }>) {
  return (
    <hx-partial hx-target={target} hx-swap={swap}>
      {children}
    </hx-partial>
  )
}

/** A toast delivered alongside an htmx response. */
export const ToastPartial = (props: Parameters<typeof Toast>[0]) => (
  <Partial target="#toasts" swap="beforeend">
    <Toast {...props} />
  </Partial>
)
