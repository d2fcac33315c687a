// Reads and validates the process configuration once; a bad value stops the start, naming the variable.
import { DATABASE_DRIVERS, type DatabaseDriver } from './db/drivers'
import { DEFAULT_TRUSTED_PROXIES, parseCidr } from './lib/client-address'
import { UUID } from './lib/secrets'
import { DEFAULT_QUOTAS, type Quotas } from './lib/quotas'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const DAPR_SUBSCRIPTIONS = ['programmatic', 'declarative'] as const
export type DaprSubscriptions = (typeof DAPR_SUBSCRIPTIONS)[number]

/** The configuration, read once at start and never changed (a rotated secret lives in AppDeps.secrets). */
export type Env = Readonly<Settings>

interface Settings {
  /** TCP port the HTTP server listens on. */
  port: number
  /** Interface to bind; 0.0.0.0 in a container, 127.0.0.1 for a laptop-only start. */
  host: string
  /** postgres:// URL; when absent the app runs on embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined
  /** Connections in the PostgreSQL pool. */
  databasePoolMax: number
  /** The PostgreSQL client: postgres.js (default) or Bun's built-in SQL client. */
  databaseDriver: DatabaseDriver
  /** Named prepared statements (off only behind a pooler that cannot keep them). */
  databasePrepare: boolean
  /** Folder for embedded data (PGlite). */
  dataDir: string
  logLevel: LogLevel
  /** Apply pending migrations at start (the Helm hook runs them first; this is the fallback). */
  migrateOnStart: boolean
  /** Read X-Forwarded-For / -Proto / -Host at all (only from `trustedProxies`). */
  trustProxy: boolean
  /** Canonical `address/bits` ranges of the proxies whose X-Forwarded-* entries are believed. */
  trustedProxies: string[]
  /** Days a login session lasts. */
  sessionTtlDays: number
  /** Seconds a resolved session or API token is kept in memory (0: every request looks it up); revocation evicts at once. */
  authCacheTtlSeconds: number
  /** Password hashes and checks (argon2id) running at once in this process, and how many more may wait. */
  passwordHashConcurrency: number
  passwordHashQueue: number
  /** Grace period for in-flight requests on SIGTERM/SIGINT. */
  shutdownTimeoutMs: number
  /** A request without an answer after this long gets a 503 (0: none); chat turns are bounded by the model timeout. */
  requestTimeoutMs: number
  /** The Dapr sidecar's HTTP port (set by the injector); absent means the in-process bus and scheduler. */
  daprHttpPort: number | undefined
  daprHost: string
  /** Sent to the sidecar as `dapr-api-token` when set. */
  daprApiToken: string | undefined
  /** Required with a sidecar: every call from it (/dapr/subscribe, /events/*, /job/*) must carry it as `dapr-api-token`. */
  appApiToken: string | undefined
  /** Port of the separate listener that serves GET /metrics (0: none); never the app's own port. */
  metricsPort: number
  /** Interface the metrics listener binds: loopback unless a scraper outside the pod or host must reach it. */
  metricsHost: string
  /** With a sidecar, a reminder still unfired this long after its time is fired by the app's own sweep. */
  reminderSweepGraceMs: number
  /** The Dapr pub/sub component (Kafka in the cluster). */
  pubsubName: string
  /**
   * Who declares the subscriptions to the sidecar: the app's GET /dapr/subscribe (programmatic), or Subscription
   * resources (declarative), when GET /dapr/subscribe answers [] so that Dapr never sees both.
   */
  daprSubscriptions: DaprSubscriptions
  /** Let webhook URLs use http and private addresses (a laptop, tests); off in a cluster to avoid SSRF. */
  webhookAllowPrivate: boolean
  /** OpenAI-compatible endpoint for the chat agent (OpenAI, Ollama, vLLM, LM Studio). */
  openaiBaseUrl: string
  openaiApiKey: string | undefined
  /** The model; when unset, the offline agent answers. */
  openaiModel: string | undefined
  openaiTimeoutMs: number
  /** Per-user limits, on each replica. */
  mcpCallsPerMinute: number
  chatMessagesPerMinute: number
  /** What one account may keep: tasks, pending reminders, active API tokens. */
  quotas: Quotas
  /** Account ids (lower-case UUIDs) that may use /admin routes; an id is assigned at sign-up and cannot be chosen. */
  adminUserIds: string[]
  /** OTLP/HTTP collector base URL; tracing is off when unset. */
  otlpEndpoint: string | undefined
  /** service.name on every span. */
  serviceName: string
  /** Share of new traces sampled, 0 to 1 (continued traces follow their parent). */
  traceSampleRatio: number
}

/**
 * Settings that may come from a Dapr secret store instead of the environment. Not DAPR_API_TOKEN: the
 * sidecar needs it to answer the secrets call itself, so it stays in the environment (Dapr's injector sets it).
 */
export const SECRET_SETTINGS = ['DATABASE_URL', 'OPENAI_API_KEY', 'APP_API_TOKEN'] as const
export type SecretSetting = (typeof SECRET_SETTINGS)[number]
/** Secrets that a running app re-reads on POST /admin/reload-secrets; the others need a rollout. */
export const ROTATABLE_SECRETS: SecretSetting[] = ['OPENAI_API_KEY']

export interface SecretStoreConfig {
  /** The Dapr secret store component, e.g. kubernetes-secrets. */
  store: string
  host: string
  port: number
  apiToken: string | undefined
  /** Where each setting lives: a secret name and a key in it. */
  mapping: Record<SecretSetting, { name: string; key: string }>
  /** How long to wait for the sidecar's components at start. */
  timeoutMs: number
}

/**
 * The secret store to read settings from, or undefined when SECRET_STORE is unset. SECRET_STORE_SECRET
 * names the secret (default todo-chatbot-secrets, keys named like the settings); SECRET_MAP overrides
 * entries as `SETTING=secret:key,…`.
 */
export function secretStoreConfig(source: Source = process.env): SecretStoreConfig | undefined {
  const store = read(source, 'SECRET_STORE')
  if (store === undefined) return undefined
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(store)) throw new ConfigError('SECRET_STORE', `must be a component name (got "${store.slice(0, 40)}")`)
  if (read(source, 'DAPR_HTTP_PORT') === undefined) throw new ConfigError('SECRET_STORE', 'needs a Dapr sidecar: DAPR_HTTP_PORT is not set')
  const secret = name(source, 'SECRET_STORE_SECRET', 'todo-chatbot-secrets')
  const mapping = Object.fromEntries(SECRET_SETTINGS.map((s) => [s, { name: secret, key: s }])) as SecretStoreConfig['mapping']
  const map = read(source, 'SECRET_MAP')
  for (const entry of map ? map.split(',') : []) {
    const m = /^\s*([A-Z_]+)\s*=\s*([a-z0-9][a-z0-9.-]*):([A-Za-z0-9_.-]+)\s*$/.exec(entry)
    if (!m || !(SECRET_SETTINGS as readonly string[]).includes(m[1]!)) {
      throw new ConfigError('SECRET_MAP', `entries are SETTING=secret:key with SETTING one of ${SECRET_SETTINGS.join(', ')} (got "${entry.trim().slice(0, 60)}")`)
    }
    mapping[m[1] as SecretSetting] = { name: m[2]!, key: m[3]! }
  }
  return {
    store,
    host: read(source, 'DAPR_HOST') ?? '127.0.0.1',
    port: integer(source, 'DAPR_HTTP_PORT', 3500, 1, 65535),
    apiToken: read(source, 'DAPR_API_TOKEN'),
    mapping,
    timeoutMs: integer(source, 'SECRET_STORE_TIMEOUT_MS', 60_000, 100, 600_000),
  }
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

type Source = Record<string, string | undefined>

function read(source: Source, name: string): string | undefined {
  const value = source[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function integer(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = read(source, name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`)
  }
  return Number(raw)
}

function boolean(source: Source, name: string, fallback: boolean): boolean {
  const raw = read(source, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `must be true or false (got "${raw}")`)
}

function oneOf<T extends string>(source: Source, name: string, values: readonly T[], fallback: T): T {
  const raw = read(source, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')} (got "${raw}")`)
  }
  return raw as T
}

function ratio(source: Source, variable: string, fallback: number): number {
  const raw = read(source, variable)
  if (raw === undefined) return fallback
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(raw)) throw new ConfigError(variable, `must be a number from 0 to 1 (got "${raw.slice(0, 40)}")`)
  return Number(raw)
}

function name(source: Source, variable: string, fallback: string): string {
  const raw = read(source, variable)
  if (raw === undefined) return fallback
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(raw)) throw new ConfigError(variable, `must be a component name: letters, digits and dashes (got "${raw.slice(0, 40)}")`)
  return raw
}

function httpUrl(source: Source, variable: string, fallback: string): string {
  const raw = read(source, variable)
  if (raw === undefined) return fallback
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(variable, `is not a valid URL (got "${raw.slice(0, 80)}")`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, 'must be an http:// or https:// URL')
  return raw
}

function cidrList(source: Source, variable: string, fallback: string[]): string[] {
  const raw = read(source, variable)
  if (raw === undefined) return fallback
  return raw.split(',').map((entry) => {
    const cidr = parseCidr(entry)
    if (!cidr) throw new ConfigError(variable, `entries are addresses or CIDR ranges such as 10.0.0.0/8 or fd00::/8 (got "${entry.trim().slice(0, 60)}")`)
    return cidr
  })
}

function adminUserIds(source: Source): string[] {
  // Emails are claimed at sign-up without proof, so they never granted anything safely: refuse rather than ignore.
  if (read(source, 'ADMIN_EMAILS') !== undefined) {
    throw new ConfigError('ADMIN_EMAILS', 'is no longer read: admin rights go by account id; set ADMIN_USER_IDS to the admins\' ids (GET /api/v1/me)')
  }
  const raw = read(source, 'ADMIN_USER_IDS')
  if (raw === undefined) return []
  return raw.split(',').map((entry) => {
    const id = entry.trim().toLowerCase()
    if (!UUID.test(id)) throw new ConfigError('ADMIN_USER_IDS', `entries are account ids as GET /api/v1/me shows them (got "${entry.trim().slice(0, 40)}")`)
    return id
  })
}

function databaseUrl(source: Source): string | undefined {
  const raw = read(source, 'DATABASE_URL')
  if (raw === undefined) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // Never echo the value: it usually carries a password.
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user:password@host:5432/database)')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql:// (got "${url.protocol}//")`)
  }
  return raw
}

/** Shortest APP_API_TOKEN accepted: the routes it guards take unlimited guesses. */
export const APP_API_TOKEN_MIN_LENGTH = 16

/**
 * The token the sidecar must send. With a sidecar the Dapr routes are reachable over the network, so
 * starting without one would let anyone forge events, fire reminders and fill the dead-letter table.
 */
function appApiToken(source: Source): string | undefined {
  const token = read(source, 'APP_API_TOKEN')
  if (token !== undefined && token.length < APP_API_TOKEN_MIN_LENGTH) {
    throw new ConfigError('APP_API_TOKEN', `must be at least ${APP_API_TOKEN_MIN_LENGTH} characters (e.g. openssl rand -hex 24)`)
  }
  if (token === undefined && read(source, 'DAPR_HTTP_PORT') !== undefined) {
    throw new ConfigError(
      'APP_API_TOKEN',
      'is required with a Dapr sidecar (DAPR_HTTP_PORT is set): the sidecar sends it as dapr-api-token and the app refuses calls without it; in Kubernetes put it in the Secret named by dapr.io/app-token-secret (key token)',
    )
  }
  return token
}

/** Parses the configuration from `source` (normally `process.env`); throws ConfigError on the first bad value. */
export function loadEnv(source: Source = process.env): Env {
  return {
    port: integer(source, 'PORT', 3000, 1, 65535),
    host: read(source, 'HOST') ?? '0.0.0.0',
    databaseUrl: databaseUrl(source),
    databasePoolMax: integer(source, 'DATABASE_POOL_MAX', 10, 1, 500),
    databaseDriver: oneOf(source, 'DATABASE_DRIVER', DATABASE_DRIVERS, 'postgres-js'),
    databasePrepare: boolean(source, 'DATABASE_PREPARE', true),
    dataDir: read(source, 'DATA_DIR') ?? './data',
    logLevel: oneOf(source, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    migrateOnStart: boolean(source, 'MIGRATE_ON_START', true),
    trustProxy: boolean(source, 'TRUST_PROXY', false),
    trustedProxies: cidrList(source, 'TRUSTED_PROXIES', DEFAULT_TRUSTED_PROXIES),
    sessionTtlDays: integer(source, 'SESSION_TTL_DAYS', 30, 1, 365),
    authCacheTtlSeconds: integer(source, 'AUTH_CACHE_TTL_SECONDS', 30, 0, 300),
    passwordHashConcurrency: integer(source, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    passwordHashQueue: integer(source, 'PASSWORD_HASH_QUEUE', 32, 0, 10_000),
    shutdownTimeoutMs: integer(source, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    requestTimeoutMs: integer(source, 'REQUEST_TIMEOUT_MS', 30_000, 0, 600_000),
    daprHttpPort: read(source, 'DAPR_HTTP_PORT') === undefined ? undefined : integer(source, 'DAPR_HTTP_PORT', 3500, 1, 65535),
    daprHost: read(source, 'DAPR_HOST') ?? '127.0.0.1',
    daprApiToken: read(source, 'DAPR_API_TOKEN'),
    appApiToken: appApiToken(source),
    metricsPort: integer(source, 'METRICS_PORT', 9464, 0, 65535),
    metricsHost: read(source, 'METRICS_HOST') ?? '127.0.0.1',
    pubsubName: name(source, 'PUBSUB_NAME', 'pubsub-kafka'),
    daprSubscriptions: oneOf(source, 'DAPR_SUBSCRIPTIONS', DAPR_SUBSCRIPTIONS, 'programmatic'),
    webhookAllowPrivate: boolean(source, 'WEBHOOK_ALLOW_PRIVATE', false),
    openaiBaseUrl: httpUrl(source, 'OPENAI_BASE_URL', 'https://api.openai.com/v1'),
    openaiApiKey: read(source, 'OPENAI_API_KEY'),
    openaiModel: read(source, 'OPENAI_MODEL'),
    openaiTimeoutMs: integer(source, 'OPENAI_TIMEOUT_MS', 30_000, 1000, 600_000),
    reminderSweepGraceMs: integer(source, 'REMINDER_SWEEP_GRACE_MS', 60_000, 1000, 3_600_000),
    mcpCallsPerMinute: integer(source, 'MCP_CALLS_PER_MINUTE', 120, 1, 1_000_000),
    chatMessagesPerMinute: integer(source, 'CHAT_MESSAGES_PER_MINUTE', 30, 1, 1_000_000),
    quotas: {
      tasks: integer(source, 'TASKS_PER_USER', DEFAULT_QUOTAS.tasks, 1, 10_000_000),
      reminders: integer(source, 'REMINDERS_PER_USER', DEFAULT_QUOTAS.reminders, 1, 10_000_000),
      apiTokens: integer(source, 'API_TOKENS_PER_USER', DEFAULT_QUOTAS.apiTokens, 1, 10_000),
      savedFilters: DEFAULT_QUOTAS.savedFilters,
      projects: integer(source, 'PROJECTS_PER_USER', DEFAULT_QUOTAS.projects, 1, 10_000),
    },
    adminUserIds: adminUserIds(source),
    otlpEndpoint: read(source, 'OTEL_EXPORTER_OTLP_ENDPOINT') === undefined ? undefined : httpUrl(source, 'OTEL_EXPORTER_OTLP_ENDPOINT', ''),
    serviceName: name(source, 'OTEL_SERVICE_NAME', 'todo-chatbot'),
    traceSampleRatio: ratio(source, 'OTEL_TRACES_SAMPLER_ARG', 1),
  }
}
