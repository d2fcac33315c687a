// An RFC 4180 CSV reader: quoted fields with commas, quotes and line breaks, CRLF or LF endings, a leading BOM.
import { checkRows } from './model'

/** One record and the line of the file it starts on. */
export interface CsvRecord {
  line: number
  cells: string[]
}

/**
 * The records of `text`, with the line each starts on. Blank lines are left out; a quote opened and never closed
 * ends the file's last field. More than IMPORT_ROWS_MAX records are refused (checkRows).
 */
export function readCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let cells: string[] = []
  let cell = ''
  let line = 1
  let start = 1
  let quoted = false
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const endRecord = () => {
    cells.push(cell)
    if (cells.length > 1 || cells[0] !== '') {
      records.push({ line: start, cells })
      checkRows(records.length)
    }
    cells = []
    cell = ''
  }
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n' || (c === '\r' && source[i + 1] !== '\n')) line++
        cell += c
      }
    } else if (c === '"' && cell === '') quoted = true
    else if (c === ',') {
      cells.push(cell)
      cell = ''
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && source[i + 1] === '\n') i++
      endRecord()
      line++
      start = line
    } else cell += c
  }
  if (cell !== '' || cells.length > 0) endRecord()
  return records
}
