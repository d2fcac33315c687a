// Turning a schema's refusal into our one error: the field it names and a message a person (or a model) can act on.
import { z } from 'zod'
import { invalid, type AppError } from './errors'
import { parseDateTime } from './time'

/** What a Standard Schema issue carries that we read (zod's issues have more). */
export interface SchemaIssue {
  message: string
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>
  code?: string
  keys?: readonly string[]
}

/** The field an issue is about: its first path segment, an unknown key's own name, or `where` for the input as a whole. */
export function issueField(issue: SchemaIssue, where: string): string {
  const first = issue.path?.[0]
  if (first !== undefined) return String(typeof first === 'object' ? first.key : first)
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0]) return issue.keys[0]
  return where
}

/** The first issue as a validation failure naming its field. */
export function failureOf(issues: readonly SchemaIssue[], where: string): AppError {
  const issue = issues[0]
  if (!issue) return invalid(where, `${where} is invalid`)
  return invalid(issueField(issue, where), issue.message)
}

/** Parses `value` with `schema`, or throws the validation failure naming the field (`where` when it is the whole input). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw failureOf(result.error.issues, where)
  return result.data
}

/** Parses one value that is a field of its own: any refusal names `field` (an array's item, too). */
export function parseField<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw invalid(field, result.error.issues[0]?.message ?? `${field} is invalid`)
  return result.data
}

/** A strict object: an unknown field is refused by name (a `noun` field), a body that is not an object as the body's fault. */
export function strictFields<S extends z.ZodRawShape>(shape: S, noun: string) {
  const expected = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys[0]} is not a ${noun} field (expected ${expected})`
        : issue.code === 'invalid_type'
          ? 'the body must be a JSON object'
          : undefined,
  })
}

/**
 * An ISO 8601 date-time as sent, kept as text: with an offset it is exact, without one it is a wall-clock time the
 * service reads in the user's zone (parseDateTime). Only its shape is checked here; no zone makes a valid one invalid.
 */
export const dateTimeText = (typeError: string, formatError: string) =>
  z.string({ error: typeError }).refine((value) => parseDateTime(value, 'UTC')?.dateOnly === false, { error: formatError })
