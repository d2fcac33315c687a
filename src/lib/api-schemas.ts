// Schemas every REST route shares, for validation and the OpenAPI document.
import { t } from 'elysia'

/** `{ "error": { "code", "message", "field"?, "position"? } }`, the body of every 4xx and 5xx answer (`position`: a malformed filter's column). */
export const ErrorBody = t.Object({
  error: t.Object({ code: t.String(), message: t.String(), field: t.Optional(t.String()), position: t.Optional(t.Integer({ minimum: 1, description: 'The column (from 1) where a malformed filter goes wrong' })) }),
})
