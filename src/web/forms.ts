// Form handling shared by the pages: reading urlencoded fields, and a validation failure shown on the form, never as an error page.
import { AppError } from '../lib/errors'
import { safeLocalPath } from '../lib/htmx'

/** A parsed urlencoded form: a field sent once is a string, a field sent more than once an array. */
export type Form = Record<string, string | string[] | undefined>

/** Every value sent for a field, in order. */
export const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** The first value sent for a field, as sent. */
export const first = (value: string | string[] | undefined): string | undefined => all(value)[0]

/** The list a task form came from (its `back` field, a local path), where a plain post returns. */
export const backOf = (form: Form): string => safeLocalPath(first(form.back), '/tasks')

/** The first value of the field `name`, as sent. */
export const field = (form: Form, name: string): string | undefined => first(form[name])

/** The first value of the field `name`, trimmed; undefined when missing or blank. */
export const filled = (form: Form, name: string): string | undefined => field(form, name)?.trim() || undefined

/** A validation message for a form, naming the field to mark. */
export interface FormError {
  field?: string
  message: string
}

/** Runs `attempt`; a validation failure goes to `show` (the form again, with the message); anything else propagates. */
export async function withFormErrors<T>(attempt: () => Promise<T>, show: (error: FormError) => T | Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (failure) {
    if (!(failure instanceof AppError) || failure.code !== 'validation_failed') throw failure
    return show({ field: failure.field, message: failure.message })
  }
}
