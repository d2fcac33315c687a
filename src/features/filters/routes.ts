// REST routes for saved filters under /api/v1/filters: thin wrappers that parse, call one service, and shape the answer.
import { Elysia, t } from 'elysia'
import { z } from 'zod'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { authGuard } from '../auth/guard'
import { CreateSavedFilterInput, SavedFilterViewSchema as SavedFilter, UpdateSavedFilterInput } from './model'
import { createSavedFilter, deleteSavedFilter, getSavedFilter, listSavedFilters, updateSavedFilter, type SavedFilterDeps } from './service'

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody }

export const savedFilterRoutes = (deps: AppDeps) => {
  const filterDeps: SavedFilterDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'saved-filter-routes', prefix: '/api/v1/filters', seed: seedOf(deps), detail: { tags: ['Saved filters'] } })
    .use(authGuard(deps))
    .get('', async ({ user }) => ({ items: await listSavedFilters(filterDeps, user) }), {
      auth: true,
      response: { 200: z.object({ items: z.array(SavedFilter) }), 401: ErrorBody },
      detail: { summary: 'Your saved filters, in your order', description: 'Show one\'s tasks with `GET /api/v1/tasks?filter=<query>`.' },
    })
    .post('', async ({ user, body, status }) => status(201, await createSavedFilter(filterDeps, user, body)), {
      auth: true,
      parse: 'json',
      body: CreateSavedFilterInput,
      response: { 201: SavedFilter, ...errors },
      detail: { summary: 'Save a filter at the end of your list', description: 'The query is checked when saved: a malformed one is a 400 naming `query` and the `position` of the error. A name already used (whatever its case) is a 409; at most 100 saved filters per account.' },
    })
    .get('/:id', ({ user, params }) => getSavedFilter(filterDeps, user, params.id), {
      auth: true,
      response: { 200: SavedFilter, ...errors },
      detail: { summary: 'Get one saved filter' },
    })
    .patch('/:id', ({ user, params, body }) => updateSavedFilter(filterDeps, user, params.id, body), {
      auth: true,
      parse: 'json',
      body: UpdateSavedFilterInput,
      response: { 200: SavedFilter, ...errors },
      detail: { summary: 'Rename, rewrite or move a saved filter', description: 'Only the fields sent change; `position` moves it (the others shift).' },
    })
    .delete('/:id', async ({ user, params, status }) => {
      await deleteSavedFilter(filterDeps, user, params.id)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: t.Undefined(), ...errors },
      detail: { summary: 'Delete a saved filter' },
    })
}
