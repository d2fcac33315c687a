// Form handling shared by the pages: a validation failure is shown on the form, never as an error page.
import { AppError } from '../lib/errors'

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
