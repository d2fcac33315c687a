// What a chat turn takes, once: the REST body, OpenAPI, the chat pages and the service's types derive from it.
import { z } from 'zod'
import { strictFields } from '../lib/validation'

export const MESSAGE_MAX = 4000

const EMPTY = 'message must be a non-empty string'
const TOO_LONG = `message must be at most ${MESSAGE_MAX} characters`

/** The message, trimmed; its length counted in characters (code points), as a person counts them. */
const Message = z
  .string({ error: EMPTY })
  .trim()
  .refine((text) => text !== '', { error: EMPTY })
  .refine((text) => [...text].length <= MESSAGE_MAX, { error: TOO_LONG })
  .meta({ minLength: 1, maxLength: MESSAGE_MAX })
  .describe('What to ask or tell the assistant')

/** One message, continuing the user's own conversation when given (whether it is theirs is the service's question). */
export const ChatRequest = strictFields(
  {
    message: Message,
    conversation_id: z.string({ error: 'conversation_id must be a string' }).nullish().describe('Continue this conversation'),
  },
  'chat',
)
export type ChatRequest = z.output<typeof ChatRequest>
