// createMcpServer: an MCP server acting as one user, offering every tool of the registry.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import pkg from '../../package.json'
import { FILTER_HELP } from '../features/tasks/filter'
import { idempotent } from '../features/idempotency/service'
import { AppError } from '../lib/errors'
import { sha256 } from '../lib/secrets'
import { inSpan } from '../lib/tracing'
import { failureOf, type SchemaIssue } from '../lib/validation'
import { TOOLS } from './registry'
import type { ToolContext, ToolDef } from './tool'

export interface ToolOutcome {
  ok: boolean
  /** The structured result, or the error the model can correct its call from. */
  result: Record<string, unknown>
  text: string
}

/**
 * Runs one tool as the context's user. Expected failures (a bad field, an unknown id) come back as
 * an error the model can act on; anything else is logged by the caller and reported generically.
 */
export async function runTool(def: ToolDef, ctx: ToolContext, args: unknown): Promise<ToolOutcome> {
  const parsed = schemasOf(def).input.safeParse(args ?? {})
  if (!parsed.success) {
    // Named as REST names it: the field (an unknown argument by its own name), or the arguments as a whole.
    const { field = 'arguments', message } = failureOf(parsed.error.issues, 'arguments')
    const named = itemField(parsed.error.issues[0]) ?? field
    const text = `Invalid arguments for ${def.name}: ${named}: ${message}. Fix that argument and call again.`
    return { ok: false, result: { error: { code: 'validation_failed', field: named, message: text } }, text }
  }
  try {
    const { idempotency_key: key, ...rest } = parsed.data as Record<string, unknown> & { idempotency_key?: string }
    const result = (await inSpan(`execute_tool ${def.name}`, { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': def.name } }, () =>
      key === undefined ? def.run(ctx, rest) : once(def, ctx, key, rest),
    )) as Record<string, unknown>
    return { ok: true, result, text: JSON.stringify(result) }
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const hint = error.code === 'not_found' ? ' Use list_tasks to find the right id.' : error.field ? ` Fix ${error.field} and call again.` : ''
    const text = `${def.name} failed: ${error.message}.${hint}`
    return { ok: false, result: { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }, text }
  }
}

/** An item's own field in an array argument, as tasks[2].due_date (counting from 0), so a batch says which item is wrong. */
function itemField(issue: SchemaIssue | undefined): string | undefined {
  const path = (issue?.path ?? []).map((part) => (typeof part === 'object' ? part.key : part))
  const [list, index, field] = path
  if (typeof index !== 'number' || field === undefined) return undefined
  return `${String(list)}[${index}].${String(field)}`
}

/**
 * Runs a write once per idempotency key, in the REST Idempotency-Key store (per user): the result is stored in the
 * transaction of the change itself, so a retry with the same key and arguments gets it back with no second change.
 * MCP keys are stored hashed under their own prefix: they take any text and never meet a REST key.
 */
async function once(def: ToolDef, ctx: ToolContext, key: string, args: Record<string, unknown>): Promise<unknown> {
  const request = sha256(`mcp ${def.name} ${JSON.stringify(args)}`)
  try {
    const outcome = await idempotent(ctx, ctx.user.id, `mcp:${sha256(key)}`, request, async (db) => ({ status: 200, body: await def.run({ ...ctx, db }, args) }))
    return outcome.body
  } catch (error) {
    if (error instanceof AppError && error.code === 'idempotency_key_reused') {
      throw new AppError('idempotency_key_reused', 'this idempotency_key was already used with other arguments (or another tool); use a new key for a new change', 'idempotency_key')
    }
    throw error
  }
}

/** The key a write tool takes: a retry with it returns the first result instead of changing anything again. */
const IdempotencyKey = z
  .string()
  .min(1)
  .max(100)
  .describe('Optional, 1 to 100 characters (a UUID is ideal): calling again with the same key and arguments returns the first result without repeating the change')

/** How a tool call ended: ok, a refusal the caller can fix (isError), or an unexpected failure. */
export type CallOutcome = 'ok' | 'error' | 'failed'

// Each tool's schemas, built once: stateless HTTP builds a server per request, and building twenty zod objects
// for each was a measurable share of an MCP call (bench/load.ts profile).
const SCHEMAS = new Map<ToolDef, { input: z.ZodObject; output: z.ZodObject }>()
export function schemasOf(def: ToolDef) {
  let schemas = SCHEMAS.get(def)
  if (!schemas) {
    // Strict: an unknown argument is refused (with its name), never silently dropped. Every write takes an idempotency key.
    const input = def.annotations.readOnlyHint ? def.input : { ...def.input, idempotency_key: IdempotencyKey.optional() }
    schemas = { input: z.object(input).strict(), output: z.object(def.output) }
    SCHEMAS.set(def, schemas)
  }
  return schemas
}

/** How to use the tools well, sent in the initialize result: a client's model reads it once. */
export function instructionsFor(timeZone: string): string {
  return [
    "Manage the user's tasks and reminders with these tools.",
    `The user's time zone is ${timeZone}; dates and date-times without an offset are read in it.`,
    'A task due on a day with no time is all-day: give due_date as the day alone, "YYYY-MM-DD" (2026-12-05); give a time as 2026-12-05T17:00.',
    `To see what is due, use find_tasks: ${FILTER_HELP}`,
    'Batch: add_tasks adds up to 25 tasks in one call (all or nothing), complete_tasks completes up to 25 by id.',
    'Every write tool takes an optional idempotency_key: send a fresh one per intended change and reuse it only to retry that same call.',
    'Confirm with the user before deleting more than one task; restore_task undoes a delete within 30 days.',
  ].join('\n')
}

/** The prompts the server offers: plan-my-day. */
function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'plan-my-day',
    {
      title: 'Plan my day',
      description: "Looks at today's and overdue tasks and proposes an order to do them in",
      argsSchema: { focus: z.string().max(200).optional().describe('What matters most today, e.g. "work" or "the report"') },
    },
    ({ focus }) => ({
      messages: [
        {
          role: 'user' as const,
          content: {
            type: 'text' as const,
            text: [
              'Help me plan my day.',
              'First call find_tasks with filter "overdue", then with filter "today", to see what is overdue and what is due today.',
              'Then propose an order to do them in, with a short reason for each (due times, priority, what is overdue longest), and suggest what could move to another day.',
              focus?.trim() ? `Put what concerns "${focus.trim()}" first where you can.` : '',
              'Do not change any task until I agree to the plan.',
            ].filter(Boolean).join('\n'),
          },
        },
      ],
    }),
  )
}

/** A server for one authenticated user (stateless HTTP builds one per request; stdio one per process). */
export function createMcpServer(
  ctx: ToolContext,
  onUnexpected: (tool: string, error: unknown) => void,
  onCall: (tool: string, outcome: CallOutcome) => void = () => {},
): McpServer {
  const server = new McpServer(
    { name: 'todo-chatbot', version: pkg.version },
    { instructions: instructionsFor(ctx.user.timezone) },
  )
  registerPrompts(server)
  for (const def of TOOLS) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: schemasOf(def).input,
        outputSchema: schemasOf(def).output,
        annotations: { title: def.title, ...def.annotations },
      },
      async (args: unknown) => {
        try {
          const outcome = await runTool(def, ctx, args)
          onCall(def.name, outcome.ok ? 'ok' : 'error')
          // Errors carry no structuredContent: it would have to match the output schema.
          return outcome.ok
            ? { content: [{ type: 'text' as const, text: outcome.text }], structuredContent: outcome.result }
            : { content: [{ type: 'text' as const, text: outcome.text }], isError: true }
        } catch (error) {
          onUnexpected(def.name, error)
          onCall(def.name, 'failed')
          return { content: [{ type: 'text' as const, text: `${def.name} failed unexpectedly; try again later.` }], isError: true }
        }
      },
    )
  }
  return server
}
