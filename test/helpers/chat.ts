// One chat conversation through the REST API, for the agent tests: each message continues it, and must be answered 200.
import { expect } from 'bun:test'
import type { TestApp } from './app'

/** What the chat answers a message: the reply, the conversation, and the tool calls made for it. */
export interface ChatAnswer {
  reply: string
  conversation_id: string
  tool_calls: Array<{ name: string; arguments: Record<string, unknown>; ok: boolean; result: Record<string, any> }>
}

/** A new conversation as the user `token` gives (read at each message); call the result with each message in turn. */
export function chatConversation(t: TestApp, token: () => string): (message: string) => Promise<ChatAnswer> {
  let id: string | undefined
  return async (message: string) => {
    const res = await t.call('POST', '/api/v1/chat', { token: token(), body: { message, ...(id ? { conversation_id: id } : {}) } })
    expect(res.status).toBe(200)
    id = res.body.conversation_id
    return res.body as ChatAnswer
  }
}
