// Conversations with the chat agent and their messages, stored so any replica can continue any conversation.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { jsonb } from '../db/jsonb'
import { ownerId } from '../features/auth/schema'

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    title: text('title').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('conversations_user_idx').on(t.userId, t.updatedAt)],
)

export interface ToolCallRecord {
  name: string
  arguments: Record<string, unknown>
  ok: boolean
  result: Record<string, unknown>
}

export const messages = pgTable(
  'messages',
  {
    /** UUIDv7: messages of a conversation sort by id. */
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').$type<'user' | 'assistant'>().notNull(),
    content: text('content').notNull(),
    toolCalls: jsonb<ToolCallRecord[]>('tool_calls').notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.id)],
)
