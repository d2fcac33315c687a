// The assistant in the browser: GET /chat, POST /chat (plain form: post and redirect), POST /chat/stream (the reply as it is written).
import { desc, eq } from 'drizzle-orm'
import { Elysia } from 'elysia'
import { ChatRequest } from '../../chat/model'
import { chatDeps, chatLimit, takeChatCall } from '../../chat/routes'
import { conversations } from '../../chat/schema'
import { chat, checkChatInput, conversationMessages } from '../../chat/service'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { parseWith } from '../../lib/validation'
import { redirect } from '../../lib/htmx'
import { field, type Form } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'
import { ChatPage, type ChatMessageView } from '../../../views/chat'

/** A chat form's message and conversation (an empty field is no field), read by the one chat schema. */
const chatInput = (form: Form) => parseWith(ChatRequest, { message: field(form, 'message') ?? '', conversation_id: field(form, 'conversation_id') || undefined })

export const chatPages = (deps: AppDeps, limit = chatLimit(deps)) => {
  const cd = chatDeps(deps)
  const agent = cd.model ? ('model' as const) : ('offline' as const)
  // The model key can rotate (POST /admin/reload-secrets): read the model settings per message.
  const current = () => chatDeps(deps)
  return new Elysia({ name: 'chat-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get(
      '/chat',
      async ({ request, user, csrf, query }) => {
        let conversationId = query.c
        if (!conversationId && !query.new) {
          const [latest] = await cd.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.userId, user.id)).orderBy(desc(conversations.updatedAt)).limit(1)
          conversationId = latest?.id
        }
        const messages = conversationId ? ((await conversationMessages(cd.db, user.id, conversationId)) as ChatMessageView[]) : []
        return respond(request, (nonce) => ({ html: ChatPage({ nonce, csrf, email: user.email, conversationId, messages, agent }) }))
      },
      { page: true },
    )
    .post(
      '/chat',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        try {
          takeChatCall(limit, user.id)
          const answer = await chat(current(), user, chatInput(form))
          return redirect(request, `/chat?c=${answer.conversation_id}`)
        } catch (error) {
          if (!(error instanceof AppError) || error.status === 404) throw error
          const conversationId = field(form, 'conversation_id') || undefined
          const messages = conversationId ? ((await conversationMessages(cd.db, user.id, conversationId)) as ChatMessageView[]) : []
          return respond(request, (nonce) => ({ html: ChatPage({ nonce, csrf, email: user.email, conversationId, messages, agent, error: error.message }), status: error.status }))
        }
      },
      { page: true },
    )
    .post(
      '/chat/stream',
      async ({ user, body }) => {
        takeChatCall(limit, user.id)
        // Refusals (an empty message, another user's conversation) are answered as such, before the stream starts.
        const input = chatInput(body as Form)
        const checked = await checkChatInput(current(), user, input)
        // One JSON object per line: {"delta"} while the reply is written, then {"done"} or {"error"}.
        const encoder = new TextEncoder()
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            const send = (obj: unknown) => controller.enqueue(encoder.encode(JSON.stringify(obj) + '\n'))
            try {
              const answer = await chat(current(), user, input, (delta) => send({ delta }), checked)
              send({ done: { conversation_id: answer.conversation_id, reply: answer.reply, can_undo: answer.can_undo, changed: answer.tool_calls.filter((c) => c.ok && c.name !== 'list_tasks' && c.name !== 'get_task' && c.name !== 'list_reminders').map((c) => c.name) } })
            } catch (error) {
              send({ error: error instanceof AppError ? error.message : 'Something went wrong; try again.' })
              if (!(error instanceof AppError)) deps.log.error('chat stream failed', { error: error as Error })
            }
            controller.close()
          },
        })
        // x-accel-buffering: a proxy such as nginx (ingress-nginx) would otherwise hold the lines until the reply ends.
        return new Response(stream, {
          headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-accel-buffering': 'no' },
        })
      },
      { page: true },
    )
}
