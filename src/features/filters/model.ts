// The saved-filter contract, once: what saving one takes and how one reads; REST, OpenAPI, the page and the service derive from it.
import { z } from 'zod'
import { strictFields } from '../../lib/validation'
import { FILTER_MAX } from '../tasks/filter-parse'
import { userText } from '../tasks/model'
import { FILTER_NAME_MAX } from './limits'
import type { SavedFilter } from './schema'

export { FILTER_NAME_MAX }

export const FilterName = userText('name', FILTER_NAME_MAX, 1).describe(`1 to ${FILTER_NAME_MAX} characters, unique (whatever the case) among your saved filters`)
export const FilterQuery = userText('query', FILTER_MAX, 1).describe('A filter in the filter language (docs/filters.md), e.g. "today & p1"; checked when saved')

export const CreateSavedFilterInput = strictFields({ name: FilterName, query: FilterQuery }, 'saved filter')
export type CreateSavedFilter = z.output<typeof CreateSavedFilterInput>

export const UpdateSavedFilterInput = strictFields(
  {
    name: FilterName.optional(),
    query: FilterQuery.optional(),
    position: z.number({ error: 'position must be a whole number from 1' }).int({ error: 'position must be a whole number from 1' }).min(1, { error: 'position must be a whole number from 1' }).optional().describe('Where it stands in your list, from 1; the others move up or down'),
  },
  'saved filter',
)
export type UpdateSavedFilter = z.output<typeof UpdateSavedFilterInput>

export const SavedFilterViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  query: z.string(),
  position: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type SavedFilterView = z.output<typeof SavedFilterViewSchema>

export const toSavedFilterView = (row: SavedFilter): SavedFilterView => ({
  id: row.id,
  name: row.name,
  query: row.query,
  position: row.position,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
})
