// createMcpServer: an MCP server acting as one user, offering every tool of the registry.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import pkg from '../../package.json'
import { AppError } from '../lib/errors'
import { inSpan } from '../lib/tracing'
import { failureOf } from '../lib/validation'
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
    const text = `Invalid arguments for ${def.name}: ${field}: ${message}. Fix that argument and call again.`
    return { ok: false, result: { error: { code: 'validation_failed', field, message: text } }, text }
  }
  try {
    const result = (await inSpan(`execute_tool ${def.name}`, { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': def.name } }, () =>
      def.run(ctx, parsed.data),
    )) as Record<string, unknown>
    return { ok: true, result, text: JSON.stringify(result) }
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const hint = error.code === 'not_found' ? ' Use list_tasks to find the right id.' : error.field ? ` Fix ${error.field} and call again.` : ''
    const text = `${def.name} failed: ${error.message}.${hint}`
    return { ok: false, result: { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }, text }
  }
}

/** How a tool call ended: ok, a refusal the caller can fix (isError), or an unexpected failure. */
export type CallOutcome = 'ok' | 'error' | 'failed'

// Each tool's schemas, built once: stateless HTTP builds a server per request, and building twenty zod objects
// for each was a measurable share of an MCP call (bench/load.ts profile).
const SCHEMAS = new Map<ToolDef, { input: z.ZodObject; output: z.ZodObject }>()
function schemasOf(def: ToolDef) {
  let schemas = SCHEMAS.get(def)
  if (!schemas) {
    // Strict: an unknown argument is refused (with its name), never silently dropped.
    schemas = { input: z.object(def.input).strict(), output: z.object(def.output) }
    SCHEMAS.set(def, schemas)
  }
  return schemas
}

/** A server for one authenticated user (stateless HTTP builds one per request; stdio one per process). */
export function createMcpServer(
  ctx: ToolContext,
  onUnexpected: (tool: string, error: unknown) => void,
  onCall: (tool: string, outcome: CallOutcome) => void = () => {},
): McpServer {
  const server = new McpServer(
    { name: 'todo-chatbot', version: pkg.version },
    { instructions: `Manage the user's tasks and reminders. The user's time zone is ${ctx.user.timezone}; dates without an offset are read in it.` },
  )
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
