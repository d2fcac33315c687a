// The file and format an import request carries, for the REST route and the Settings form alike.
import { invalid } from '../../lib/errors'
import { parseField } from '../../lib/validation'
import { checkSize, ImportFormatField, type ImportFormat } from './model'

/** An uploaded file, as multipart/form-data hands it over. */
type Upload = { size: number; text(): Promise<string> }
const isUpload = (value: unknown): value is Upload => value instanceof Blob

/** A form or query value (the first, if sent twice), trimmed, if it is text that is not blank. */
const one = (value: unknown): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined
}

/**
 * Reads an import request: a multipart/form-data (or JSON) body with `format` and `file` (a file, or its text), or
 * a text body (text/csv, text/calendar, text/plain) with `format` in the query; `project` (a project's id or name,
 * optional) says where the tasks go. The file's size is checked before it is read.
 */
export async function readUpload(body: unknown, query: Record<string, string | undefined>): Promise<{ format: ImportFormat; text: string; project?: string }> {
  const form = body !== null && typeof body === 'object' && !isUpload(body) ? (body as Record<string, unknown>) : {}
  const formatValue = form.format ?? query.format
  const format = parseField(ImportFormatField, Array.isArray(formatValue) ? formatValue[0] : formatValue, 'format')
  const project = one(form.project ?? query.project)
  const where = project === undefined ? {} : { project }
  const file = typeof body === 'string' || isUpload(body) ? body : form.file
  if (isUpload(file)) {
    checkSize(file.size)
    return { format, text: await file.text(), ...where }
  }
  if (typeof file === 'string' && file.trim() !== '') {
    checkSize(Buffer.byteLength(file))
    return { format, text: file, ...where }
  }
  throw invalid('file', 'file is required: send multipart/form-data or JSON with format and file, or the file as the body with ?format=')
}
