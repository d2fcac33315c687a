// POST /api/v1/chat: talk to the agent (the model's, or the offline one); rate-limited per user.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { authGuard } from '../features/auth/guard'
import { AppError } from '../lib/errors'
import { MemoryRateLimit } from '../lib/memory-rate-limit'
import { ChatRequest } from './model'
import { chat, conversationMessages, type ChatDeps } from './service'
import { ErrorBody } from '../lib/api-schemas'

const ToolCall = t.Object({ name: t.String(), arguments: t.Any(), ok: t.Boolean(), result: t.Any() })

/** The chat dependencies from the app's configuration: a model when OPENAI_MODEL is set. */
export function chatDeps(deps: AppDeps): ChatDeps {
  const { env } = deps
  return {
    db: deps.database.db,
    clock: deps.clock,
    quotas: env.quotas,
    model: env.openaiModel
      ? { baseUrl: env.openaiBaseUrl, apiKey: deps.secrets.get('OPENAI_API_KEY') ?? '', model: env.openaiModel, timeoutMs: env.openaiTimeoutMs, onCall: deps.metrics?.chat.modelCall }
      : undefined,
    onTurn: deps.metrics?.chat.turn,
  }
}

/** Chat messages per user per minute, on each replica. */
export const chatLimit = (deps: AppDeps) => new MemoryRateLimit({ max: deps.env.chatMessagesPerMinute, windowMs: 60_000 })

export function takeChatCall(limit: MemoryRateLimit, userId: string): void {
  const wait = limit.take(userId)
  if (wait > 0) throw new AppError('rate_limited', `Too many chat messages; try again in ${wait} s`, undefined, wait)
}

export const chatRoutes = (deps: AppDeps, limit = chatLimit(deps)) => {
  // Read per call: POST /admin/reload-secrets can replace the model key in a running app.
  const cd = () => chatDeps(deps)
  return new Elysia({ name: 'chat-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Chat'] } })
    .use(authGuard(deps))
    .post(
      '/chat',
      ({ user, body }) => {
        takeChatCall(limit, user.id)
        return chat(cd(), user, body)
      },
      {
        auth: true,
        // JSON only, as the task routes: also what puts the body's schema in the OpenAPI document.
        parse: 'json',
        body: ChatRequest,
        response: {
          200: t.Object({ conversation_id: t.String(), reply: t.String(), tool_calls: t.Array(ToolCall), agent: t.UnionEnum(['model', 'offline']), can_undo: t.Boolean() }),
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
        detail: { summary: 'Send a message to the task assistant; returns its reply, the conversation id and the tool calls it made' },
      },
    )
    .get('/chat/:id', ({ user, params }) => conversationMessages(deps.database.db, user.id, params.id), {
      auth: true,
      detail: { summary: "A conversation's messages, oldest first" },
    })
}
