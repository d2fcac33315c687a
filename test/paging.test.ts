// The helpers every list and every schema share: paging parameters, cursors, and naming the field a schema refused.
import { describe, expect, test } from 'bun:test'
import { CreateTaskInput } from '../src/features/tasks/model'
import { AppError } from '../src/lib/errors'
import { decodeCursor, encodeCursor, LIMIT_DEFAULT, LIMIT_MAX, onlyParams, parseLimit } from '../src/lib/paging'
import { parseWith } from '../src/lib/validation'

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return { field: (error as AppError).field, message: (error as AppError).message }
  }
  return undefined
}

describe('paging', () => {
  test('limit: absent is the default; 1 to LIMIT_MAX whole numbers only, else a refusal naming limit', () => {
    expect(parseLimit(undefined)).toBe(LIMIT_DEFAULT)
    expect(parseLimit('1')).toBe(1)
    expect(parseLimit(String(LIMIT_MAX))).toBe(LIMIT_MAX)
    for (const bad of ['', '0', String(LIMIT_MAX + 1), '-1', '2.5', '1e2', ' 3', 'ten']) expect(refusal(() => parseLimit(bad))?.field).toBe('limit')
  })

  test('a cursor reads back as the position it was made from; anything else is refused naming cursor', () => {
    const position = { at: '2026-12-01T10:00:00.000Z', id: '01a21411-f90e-7312-a232-e906d2a38306' }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
    for (const bad of ['%%%', Buffer.from('[1,2]').toString('base64url'), Buffer.from('42').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      expect(refusal(() => decodeCursor(bad))?.field).toBe('cursor')
    }
  })

  test('a parameter a list does not take is refused by its own name', () => {
    expect(refusal(() => onlyParams({ limit: '1' }, ['limit', 'cursor']))).toBeUndefined()
    expect(refusal(() => onlyParams({ limit: '1', colour: 'red' }, ['limit', 'cursor']))?.field).toBe('colour')
  })
})

describe('a schema refusal names its field', () => {
  test('a field, an item of an array field, an unknown field, and the input as a whole', () => {
    expect(refusal(() => parseWith(CreateTaskInput, { title: '' }))?.field).toBe('title')
    expect(refusal(() => parseWith(CreateTaskInput, { title: 'ok', tags: ['ok', 7] }))?.field).toBe('tags')
    expect(refusal(() => parseWith(CreateTaskInput, { title: 'ok', colour: 'red' }))).toEqual({
      field: 'colour',
      message: expect.stringContaining('colour is not a task field'),
    })
    expect(refusal(() => parseWith(CreateTaskInput, [{ title: 'ok' }]))?.field).toBe('body')
    expect(refusal(() => parseWith(CreateTaskInput, 'ok', 'arguments'))?.field).toBe('arguments')
  })
})
