// Chat: one message in, the agent's reply out; conversations and messages stored with a bounded history window.
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import type { AuthUser } from '../features/auth/service'
import { notFound } from '../lib/errors'
import type { QuotaDeps } from '../lib/quotas'
import { newId, UUID } from '../lib/secrets'
import type { ChatRequest } from './model'
import { modelReply, type ModelConfig } from './model-agent'
import { offlineReply } from './offline'
import { undoLast } from './offline-act'
import { languageOf } from './offline-german'
import { readMessage } from './offline-read'
import { stateOf, stateRecord, visibleCalls } from './offline-state'
import { conversations, messages, type ToolCallRecord } from './schema'

/** Earlier messages the model sees. */
export const HISTORY_WINDOW = 20

export interface ChatDeps extends QuotaDeps {
  db: Db
  clock: () => Date
  /** Absent: the offline agent answers. */
  model?: ModelConfig
  /** Told of each answered (or failed) message, by agent (metrics). */
  onTurn?: (agent: 'model' | 'offline', ok: boolean) => void
}

export interface ChatAnswer {
  conversation_id: string
  reply: string
  tool_calls: ToolCallRecord[]
  /** Which agent answered. */
  agent: 'model' | 'offline'
  /** This message changed tasks and "undo" (or the page's Undo) takes the change back. */
  can_undo: boolean
}

export interface ChatInput {
  message: string
  /** The user's own conversation to continue, or null for a new one. */
  conversationId: string | null
}

/**
 * The conversation a message continues (the user's own, else not found), checked before anything is written or
 * streamed: a stream answers 404 for another user's conversation instead of an error inside a 200.
 */
export async function checkChatInput(deps: Pick<ChatDeps, 'db'>, user: Pick<AuthUser, 'id'>, input: ChatRequest): Promise<ChatInput> {
  if (!input.conversation_id) return { message: input.message, conversationId: null }
  if (!UUID.test(input.conversation_id)) throw notFound('conversation')
  const [found] = await deps.db.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.id, input.conversation_id), eq(conversations.userId, user.id)))
  if (!found) throw notFound('conversation')
  return { message: input.message, conversationId: found.id }
}

/** Answers `message` as `user`, continuing `conversation_id` if given (any replica can: it is all stored). */
export async function chat(
  deps: ChatDeps,
  user: Pick<AuthUser, 'id' | 'timezone'>,
  input: ChatRequest,
  onText?: (delta: string) => void,
  /** The input as checkChatInput already checked it (the stream checks before it starts), so it is not read twice. */
  checked?: ChatInput,
): Promise<ChatAnswer> {
  checked ??= await checkChatInput(deps, user, input)
  const message = checked.message
  const now = deps.clock()
  let conversationId: string
  if (checked.conversationId) {
    conversationId = checked.conversationId
  } else {
    conversationId = newId()
    await deps.db.insert(conversations).values({ id: conversationId, userId: user.id, title: message.slice(0, 80), createdAt: now, updatedAt: now })
  }
  const recent = await deps.db
    .select({ role: messages.role, content: messages.content, toolCalls: messages.toolCalls })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.id))
    .limit(HISTORY_WINDOW)
  const history = recent.map(({ role, content }) => ({ role, content })).reverse()
  // The offline agent's memory, newest first: what its own earlier replies left pending or can undo.
  // A user message left unanswered (its turn failed) ends whatever was pending before it.
  const states = [...(recent[0]?.role === 'user' ? [{}] : []), ...recent.filter((m) => m.role === 'assistant').map((m) => stateOf(m.toolCalls) ?? {})]
  await deps.db.insert(messages).values({ id: newId(), conversationId, role: 'user', content: message, createdAt: now })

  const ctx = { db: deps.db, clock: deps.clock, user, quotas: deps.quotas }
  const agent = deps.model ? 'model' : 'offline'
  // "undo" takes back the last change whichever agent made it, the same way every time: a model is not asked.
  const model = deps.model && readMessage(message, user.timezone, now).request.kind !== 'undo' ? deps.model : undefined
  let turn
  try {
    if (model) turn = await modelReply(model, ctx, history, message, onText)
    else turn = deps.model ? await undoLast(ctx, [], states, languageOf(message)) : await offlineReply(ctx, message, states)
    deps.onTurn?.(agent, true)
  } catch (error) {
    deps.onTurn?.(agent, false)
    throw error
  }
  // A model streams its own words; any other reply is sent whole.
  if (!model) onText?.(turn.reply)
  await deps.db.insert(messages).values({ id: newId(), conversationId, role: 'assistant', content: turn.reply, toolCalls: turn.state ? [...turn.toolCalls, stateRecord(turn.state)] : turn.toolCalls, createdAt: deps.clock() })
  await deps.db.update(conversations).set({ updatedAt: deps.clock() }).where(eq(conversations.id, conversationId))
  return { conversation_id: conversationId, reply: turn.reply, tool_calls: turn.toolCalls, agent, can_undo: (turn.state?.undo?.length ?? 0) > 0 }
}

/** A conversation's messages, oldest first (404 for another user's). */
export async function conversationMessages(db: Db, userId: string, conversationId: string) {
  if (!UUID.test(conversationId)) throw notFound('conversation')
  const [found] = await db.select().from(conversations).where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
  if (!found) throw notFound('conversation')
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.id)
  // Only the last change can be undone, and not once it has been: the newest message that changed or undid something.
  const states = rows.map((m) => stateOf(m.toolCalls))
  const last = states.findLastIndex((st) => st?.undone || (st?.undo?.length ?? 0) > 0)
  return rows.map((m, i) => ({
    role: m.role,
    content: m.content,
    tool_calls: visibleCalls(m.toolCalls),
    can_undo: i === last && !states[i]!.undone,
    created_at: m.createdAt.toISOString(),
  }))
}
