// The process's Prometheus instruments (prom-client), one registry per process (tests build several).
// Labels stay bounded: route templates, topics, tool names and fixed outcomes; never user ids or raw paths.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Told of every query and transaction (see db/client.ts); the metrics below implement it. */
export interface DatabaseObserver {
  /** A query answered (ok) or failed, after `seconds` (waiting for a pooled connection included). */
  query(operation: string, seconds: number, ok: boolean): void
  /** Queries sent and not yet answered: +1 when sent, -1 when answered. */
  inFlight(delta: 1 | -1): void
  /** Open transactions, each holding one pooled connection: +1 at BEGIN, -1 at COMMIT or ROLLBACK. */
  transaction(delta: 1 | -1): void
  /** The pool's size (1 for the embedded database). */
  poolMax(size: number): void
}

export interface ModelUsage {
  prompt_tokens?: number
  completion_tokens?: number
}

/** Children of a labelled metric by a key of their labels: prom-client hashes the label object on every call otherwise (the hot path of every query and request). */
function children<C>(make: (key: string) => C): (key: string) => C {
  const made = new Map<string, C>()
  return (key) => {
    let child = made.get(key)
    if (!child) made.set(key, (child = make(key)))
    return child
  }
}

/** What the live hub reports (src/features/live/hub.ts). */
export interface LiveObserver {
  streams(delta: number): void
  sent(): void
  refused(reason: string): void
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export function createMetrics() {
  const registry = new Registry()
  const registers = [registry]
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) => new Counter<L>({ name, help, labelNames, registers })
  const histogram = <L extends string = never>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []) =>
    new Histogram<L>({ name, help, buckets, labelNames, registers })
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers })

  const requests = counter('todo_http_requests_total', 'HTTP requests answered, by method, route template and status.', ['method', 'route', 'status'] as const)
  const requestSeconds = histogram('todo_http_request_duration_seconds', 'HTTP request latency, by method and route template.', LATENCY_BUCKETS.slice(2), [
    'method',
    'route',
  ] as const)

  // Keyed "METHOD STATUS ROUTE": the route comes last, so whatever it holds parses back.
  const parseRequestKey = (key: string) => {
    const [method, status] = key.split(' ', 2) as [string, string]
    return { method, status, route: key.slice(method.length + status.length + 2) }
  }
  const requestChild = children((key) => requests.labels(parseRequestKey(key)))
  const durationChild = children((key) => {
    const { method, route } = parseRequestKey(key)
    return requestSeconds.labels({ method, route })
  })

  const querySeconds = histogram(
    'todo_db_query_duration_seconds',
    'Database query latency (waiting for a pooled connection included), by statement kind and outcome.',
    LATENCY_BUCKETS,
    ['operation', 'outcome'] as const,
  )
  const queriesInFlight = gauge('todo_db_queries_in_flight', 'Queries sent to the database and not yet answered.')
  const transactionsOpen = gauge('todo_db_transactions_open', 'Open transactions; each holds one pooled connection.')
  const poolMax = gauge('todo_db_pool_max_connections', 'The connection pool size (DATABASE_POOL_MAX; 1 for the embedded database).')
  const queryChild = children((key) => {
    const [operation, outcome] = key.split(' ') as [string, string]
    return querySeconds.labels({ operation, outcome })
  })
  const database: DatabaseObserver = {
    query: (operation, seconds, ok) => queryChild(`${operation} ${ok ? 'ok' : 'error'}`).observe(seconds),
    inFlight: (delta) => queriesInFlight.inc(delta),
    transaction: (delta) => transactionsOpen.inc(delta),
    poolMax: (size) => poolMax.set(size),
  }

  const published = counter('todo_events_published_total', 'Events the outbox relay published, by topic.', ['topic'] as const)
  const publishFailures = counter('todo_event_publish_failures_total', 'Publish attempts that failed and will be retried, by topic.', ['topic'] as const)
  const deadLettered = counter('todo_events_dead_lettered_total', 'Events that arrived on a dead-letter topic, by the topic they were published to.', ['topic'] as const)
  const deliveries = counter('todo_event_deliveries_total', 'Events delivered to this app, by topic and the answer given (SUCCESS, RETRY, DROP).', ['topic', 'status'] as const)

  const remindersScheduled = counter('todo_reminders_scheduled_total', 'Reminder jobs created or moved.')
  const remindersCancelled = counter('todo_reminders_cancelled_total', 'Reminder jobs removed.')
  const remindersFired = counter('todo_reminders_fired_total', 'Reminders fired (each once).')
  const lateness = histogram('todo_reminder_lateness_seconds', 'How long after its time a reminder fired.', [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600])

  const chatTurns = counter('todo_chat_turns_total', 'Chat messages answered, by agent (model, offline) and outcome (ok, error).', ['agent', 'outcome'] as const)
  const modelCalls = counter('todo_model_calls_total', 'Calls to the chat model, by outcome (ok, error).', ['outcome'] as const)
  const modelSeconds = histogram('todo_model_call_duration_seconds', 'Chat model call latency, to the end of the streamed answer.', [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60])
  const modelTokens = counter('todo_model_tokens_total', 'Tokens the chat model reported, by kind (prompt, completion).', ['kind'] as const)

  const liveStreams = gauge('todo_live_streams', 'Live update streams (GET /live) open on this replica.')
  const liveEvents = counter('todo_live_events_total', 'Change events sent on live streams (each may stand for several changes, coalesced).')
  const liveRefused = counter('todo_live_refused_total', 'Live streams refused, by reason (user: too many for one user, replica: too many here, down: not listening).', ['reason'] as const)

  const toolCalls = counter('todo_mcp_tool_calls_total', 'MCP tool calls, by tool and outcome (ok, error: refused with a reason, failed: unexpected).', ['tool', 'outcome'] as const)

  return {
    registry,
    database,
    observeRequest({ method, route, status, seconds }: { method: string; route: string; status: number; seconds: number }) {
      const key = `${method} ${status} ${route}`
      requestChild(key).inc()
      durationChild(key).observe(seconds)
    },
    /** One publish attempt of the outbox relay. */
    observePublish: (topic: string, ok: boolean) => (ok ? published : publishFailures).inc({ topic }),
    observeDeadLetter: (topic: string) => deadLettered.inc({ topic }),
    observeDelivery: (topic: string, status: string) => deliveries.inc({ topic, status }),
    reminders: {
      scheduled: () => remindersScheduled.inc(),
      cancelled: () => remindersCancelled.inc(),
      fired: (lateSeconds: number) => {
        remindersFired.inc()
        lateness.observe(Math.max(0, lateSeconds))
      },
    },
    chat: {
      turn: (agent: 'model' | 'offline', ok: boolean) => chatTurns.inc({ agent, outcome: ok ? 'ok' : 'error' }),
      modelCall(seconds: number, ok: boolean, usage?: ModelUsage | null) {
        modelCalls.inc({ outcome: ok ? 'ok' : 'error' })
        modelSeconds.observe(seconds)
        if (usage?.prompt_tokens) modelTokens.inc({ kind: 'prompt' }, usage.prompt_tokens)
        if (usage?.completion_tokens) modelTokens.inc({ kind: 'completion' }, usage.completion_tokens)
      },
    },
    observeToolCall: (tool: string, outcome: string) => toolCalls.inc({ tool, outcome }),
    live: {
      streams: (delta: number) => liveStreams.inc(delta),
      sent: () => liveEvents.inc(),
      refused: (reason: string) => liveRefused.inc({ reason }),
    } satisfies LiveObserver,
  }
}

export type Metrics = ReturnType<typeof createMetrics>
