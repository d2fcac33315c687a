// The assistant panel: the conversation so far and a message box; the reply streams in as it is written.
import { Html } from './html'
import type { ToolCallRecord } from '../src/chat/schema'
import { Layout } from './layout'

export interface ChatMessageView {
  role: 'user' | 'assistant'
  content: string
  tool_calls: ToolCallRecord[]
  /** Its change is the conversation's last and can be taken back. */
  can_undo?: boolean
}

const TOOL_LABEL: Record<string, string> = {
  add_task: 'added a task',
  update_task: 'changed a task',
  complete_task: 'completed a task',
  reopen_task: 'reopened a task',
  delete_task: 'deleted a task',
  restore_task: 'restored a task',
  set_reminder: 'set a reminder',
  cancel_reminder: 'cancelled a reminder',
}

export function ChatMessage({ message, csrf, conversationId }: { message: ChatMessageView; csrf: string; conversationId?: string }) {
  const changes = message.tool_calls.filter((c) => c.ok && TOOL_LABEL[c.name])
  return (
    <li class={`msg ${message.role}`}>
      <p safe>{message.content}</p>
      {changes.length ? (
        <p class="hint" safe>
          {changes.map((c) => TOOL_LABEL[c.name]).join(', ')}
        </p>
      ) : (
        ''
      )}
      {message.can_undo && conversationId ? <UndoForm csrf={csrf} conversationId={conversationId} /> : ''}
    </li>
  )
}

/** Takes back the assistant's last change: the message "undo", sent to the same conversation. */
function UndoForm({ csrf, conversationId }: { csrf: string; conversationId: string }) {
  return (
    <form method="post" action="/chat" class="inline chat-undo">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="conversation_id" value={conversationId} />
      <input type="hidden" name="message" value="undo" />
      <button type="submit" class="link undo">Undo this change</button>
    </form>
  )
}

export function ChatPage({ nonce, csrf, email, conversationId, messages, agent, error }: { nonce: string; csrf: string; email: string; conversationId?: string; messages: ChatMessageView[]; agent: 'model' | 'offline'; error?: string }) {
  return (
    <Layout title="Assistant" nonce={nonce} csrf={csrf} email={email} active="chat">
      <h1>Assistant</h1>
      <p class="hint">
        {agent === 'model'
          ? 'Ask in plain words: "remind me to call mum tomorrow at 5pm, high priority".'
          : 'No language model is configured: a simple offline assistant answers. Try "add call mum tomorrow 5pm !high #family", "list", "done call mum".'}
      </p>
      <ol id="chat-log" class="chat" aria-live="polite">
        {messages.map((m) => (
          <ChatMessage message={m} csrf={csrf} conversationId={conversationId} />
        ))}
      </ol>
      {error ? (
        <p class="form-error" role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <form id="chat-form" method="post" action="/chat" class="line" data-chat-stream="/chat/stream">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="conversation_id" value={conversationId ?? ''} />
        <label for="chat-message" class="visually-hidden">Message</label>
        <input id="chat-message" name="message" autocomplete="off" maxlength="4000" required placeholder="Message the assistant…" />
        <button type="submit" class="primary">Send</button>
      </form>
      {conversationId ? (
        <p class="hint">
          <a href="/chat?new=1">Start a new conversation</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  )
}
