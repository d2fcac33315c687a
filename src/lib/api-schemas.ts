// Schemas every REST route shares, for validation and the OpenAPI document.
import { t } from 'elysia'

/** `{ "error": { "code", "message", "field"? } }`, the body of every 4xx and 5xx answer. */
export const ErrorBody = t.Object({ error: t.Object({ code: t.String(), message: t.String(), field: t.Optional(t.String()) }) })
