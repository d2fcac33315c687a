// A local OpenAI-compatible chat-completions server that replays scripted answers (text or tool calls), streamed or not.
export interface ScriptedAnswer {
  content?: string
  tool_calls?: Array<{ name: string; arguments: Record<string, unknown> | string }>
  /** Answer with this HTTP status and no completion (to test model failures). */
  status?: number
  /** Answer 200 with this body as is, of `rawType` (to test malformed answers). */
  raw?: string
  rawType?: string
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number
  /** Token counts to report (default: a count derived from the request and the answer). */
  usage?: { prompt_tokens: number; completion_tokens: number }
}

export interface SeenRequest {
  model: string
  messages: Array<{ role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }>
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>
  stream?: boolean
  stream_options?: { include_usage?: boolean }
  authorization: string | null
}

export class FakeOpenAI {
  readonly requests: SeenRequest[] = []
  /** The token usage reported to the client, one entry per answer that reported it. */
  readonly reportedUsage: Array<{ prompt_tokens: number; completion_tokens: number }> = []
  private script: Array<ScriptedAnswer | ((req: SeenRequest) => ScriptedAnswer)> = []
  private server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => this.handle(req) })
  readonly url = `http://127.0.0.1:${this.server.port}/v1`

  /** The answers to give, in order, one per completion request. */
  play(...answers: Array<ScriptedAnswer | ((req: SeenRequest) => ScriptedAnswer)>): void {
    this.script = answers
  }

  stop(): void {
    this.server.stop(true)
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') return new Response('not found', { status: 404 })
    const body = (await req.json()) as SeenRequest
    const seen = { ...body, authorization: req.headers.get('authorization') }
    this.requests.push(seen)
    const next = this.script.shift()
    if (!next) return Response.json({ error: { message: 'no scripted answer left' } }, { status: 500 })
    const answer = typeof next === 'function' ? next(seen) : next
    if (answer.delayMs) await Bun.sleep(answer.delayMs)
    if (answer.status) return Response.json({ error: { message: 'scripted failure', type: 'server_error' } }, { status: answer.status })
    if (answer.raw !== undefined) return new Response(answer.raw, { headers: { 'content-type': answer.rawType ?? 'application/json' } })
    const id = `chatcmpl-${crypto.randomUUID()}`
    const toolCalls = (answer.tool_calls ?? []).map((c, i) => ({
      index: i,
      id: `call_${i}_${crypto.randomUUID().slice(0, 8)}`,
      type: 'function',
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }))
    const base = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model }
    if (!body.stream) {
      return Response.json({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, finish_reason: toolCalls.length ? 'tool_calls' : 'stop', message: { role: 'assistant', content: answer.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } }],
      })
    }
    // Streamed: the text in small pieces, tool-call arguments split across chunks, as real servers do.
    const chunks: unknown[] = []
    for (const piece of (answer.content ?? '').match(/.{1,6}/gs) ?? []) chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })
    for (const c of toolCalls) {
      const args = c.function.arguments
      const half = Math.floor(args.length / 2)
      chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: c.index, id: c.id, type: 'function', function: { name: c.function.name, arguments: args.slice(0, half) } }] }, finish_reason: null }] })
      chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: c.index, function: { arguments: args.slice(half) } }] }, finish_reason: null }] })
    }
    chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: toolCalls.length ? 'tool_calls' : 'stop' }] })
    // As OpenAI does when asked: one last chunk with no choices and the usage.
    if (body.stream_options?.include_usage) {
      const usage = answer.usage ?? { prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4), completion_tokens: Math.ceil(((answer.content ?? '') + JSON.stringify(toolCalls)).length / 4) }
      this.reportedUsage.push(usage)
      chunks.push({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })
    }
    const text = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n'
    return new Response(text, { headers: { 'content-type': 'text/event-stream' } })
  }
}
