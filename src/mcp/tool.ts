// One tool definition serves both faces: the MCP server registers it, the chat agent offers it to the model.
import type { z } from 'zod'
import type { Db } from '../db/client'
import type { AuthUser } from '../features/auth/service'
import type { Quotas } from '../lib/quotas'

/** What a tool runs with: the caller's identity (from their token, never an argument) and the shared handles. */
export interface ToolContext {
  db: Db
  clock: () => Date
  user: Pick<AuthUser, 'id' | 'timezone'>
  /** What the user may keep: tools that add things count against it. */
  quotas: Quotas
}

export interface ToolAnnotations {
  readOnlyHint: boolean
  destructiveHint: boolean
  idempotentHint: boolean
  openWorldHint: boolean
}

export interface ToolDef<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string
  title: string
  /** What a model needs to choose and call it well. */
  description: string
  input: I
  output: O
  annotations: ToolAnnotations
  run(ctx: ToolContext, args: z.infer<z.ZodObject<I>>): Promise<z.infer<z.ZodObject<O>>>
}

/** Keeps the input type of `run` tied to the input schema. */
export const defineTool = <I extends z.ZodRawShape, O extends z.ZodRawShape>(def: ToolDef<I, O>): ToolDef<I, O> => def

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
export const WRITES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false }
