// Configuration: defaults, and a bad value stops the start with a message naming the variable.
import { describe, expect, test } from 'bun:test'
import { ConfigError, loadEnv } from '../src/env'

describe('loadEnv', () => {
  test('defaults run the app on embedded PGlite under ./data, port 3000', () => {
    const env = loadEnv({})
    expect(env).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: undefined, databaseDriver: 'postgres-js', databasePrepare: true, dataDir: './data', logLevel: 'info', migrateOnStart: true, trustProxy: false })
    expect(env).toMatchObject({ daprHttpPort: undefined, pubsubName: 'pubsub-kafka', appApiToken: undefined })
    expect(env).toMatchObject({ otlpEndpoint: undefined, serviceName: 'todo-chatbot', traceSampleRatio: 1 })
    // Metrics on a port of their own, reachable from this machine only.
    expect(env).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1' })
    expect(env.quotas).toEqual({ tasks: 10_000, reminders: 1_000, apiTokens: 50, savedFilters: 100, projects: 300 })
    expect(env.trustedProxies).toEqual(['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'])
  })

  test('reads every setting', () => {
    const env = loadEnv({
      PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db:5432/todo', DATABASE_POOL_MAX: '20', DATABASE_DRIVER: 'BUN-SQL', DATABASE_PREPARE: 'false', DATA_DIR: '/var/lib/todo',
      LOG_LEVEL: 'WARN', MIGRATE_ON_START: 'false', TRUST_PROXY: 'yes', TRUSTED_PROXIES: '10.0.0.0/8, 2001:DB8::1', SESSION_TTL_DAYS: '7', AUTH_CACHE_TTL_SECONDS: '20', PASSWORD_HASH_CONCURRENCY: '4', PASSWORD_HASH_QUEUE: '0', SHUTDOWN_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '15000',
      DAPR_HTTP_PORT: '3500', DAPR_HOST: 'localhost', DAPR_API_TOKEN: 'to-sidecar', APP_API_TOKEN: 'from-the-sidecar-0123', PUBSUB_NAME: 'pubsub-redis', DAPR_SUBSCRIPTIONS: 'Declarative', WEBHOOK_ALLOW_PRIVATE: 'true',
      OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_API_KEY: 'sk-local', OPENAI_MODEL: 'llama3.1', OPENAI_TIMEOUT_MS: '5000', REMINDER_SWEEP_GRACE_MS: '30000',
      MCP_CALLS_PER_MINUTE: '60', CHAT_MESSAGES_PER_MINUTE: '10', TASKS_PER_USER: '500', REMINDERS_PER_USER: '50', API_TOKENS_PER_USER: '5', PROJECTS_PER_USER: '20', ADMIN_USER_IDS: '019A2B3C-0000-7000-8000-000000000001, 019a2b3c-0000-7000-8000-000000000002',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_SERVICE_NAME: 'todo-staging', OTEL_TRACES_SAMPLER_ARG: '0.25',
      METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0',
    })
    expect(env).toEqual({
      port: 8080, host: '127.0.0.1', databaseUrl: 'postgres://u:p@db:5432/todo', databasePoolMax: 20, databaseDriver: 'bun-sql', databasePrepare: false, dataDir: '/var/lib/todo',
      logLevel: 'warn', migrateOnStart: false, trustProxy: true, trustedProxies: ['10.0.0.0/8', '2001:db8::1/128'], sessionTtlDays: 7, authCacheTtlSeconds: 20, passwordHashConcurrency: 4, passwordHashQueue: 0, shutdownTimeoutMs: 5000, requestTimeoutMs: 15000,
      daprHttpPort: 3500, daprHost: 'localhost', daprApiToken: 'to-sidecar', appApiToken: 'from-the-sidecar-0123', pubsubName: 'pubsub-redis', daprSubscriptions: 'declarative', webhookAllowPrivate: true,
      openaiBaseUrl: 'http://localhost:11434/v1', openaiApiKey: 'sk-local', openaiModel: 'llama3.1', openaiTimeoutMs: 5000, reminderSweepGraceMs: 30_000,
      mcpCallsPerMinute: 60, chatMessagesPerMinute: 10, quotas: { tasks: 500, reminders: 50, apiTokens: 5, savedFilters: 100, projects: 20 }, adminUserIds: ['019a2b3c-0000-7000-8000-000000000001', '019a2b3c-0000-7000-8000-000000000002'],
      otlpEndpoint: 'http://otel-collector:4318', serviceName: 'todo-staging', traceSampleRatio: 0.25,
      metricsPort: 9100, metricsHost: '0.0.0.0',
    })
  })

  const bad: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX'],
    [{ DATABASE_DRIVER: 'pg' }, 'DATABASE_DRIVER'],
    [{ DATABASE_PREPARE: 'sometimes' }, 'DATABASE_PREPARE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MIGRATE_ON_START: 'maybe' }, 'MIGRATE_ON_START'],
    [{ TRUST_PROXY: '2' }, 'TRUST_PROXY'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
    [{ ADMIN_USER_IDS: 'ops@example.com' }, 'ADMIN_USER_IDS'],
    // An email proves nothing (anyone can sign up with it): the old setting stops the start instead of granting rights.
    [{ ADMIN_EMAILS: 'admin@example.com' }, 'ADMIN_EMAILS'],
    [{ TRUSTED_PROXIES: 'ingress-nginx' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.1/8/1' }, 'TRUSTED_PROXIES'],
    [{ SESSION_TTL_DAYS: '0' }, 'SESSION_TTL_DAYS'],
    [{ AUTH_CACHE_TTL_SECONDS: '301' }, 'AUTH_CACHE_TTL_SECONDS'],
    [{ PASSWORD_HASH_CONCURRENCY: '0' }, 'PASSWORD_HASH_CONCURRENCY'],
    [{ PASSWORD_HASH_QUEUE: 'many' }, 'PASSWORD_HASH_QUEUE'],
    [{ DAPR_HTTP_PORT: 'sidecar' }, 'DAPR_HTTP_PORT'],
    [{ DAPR_HTTP_PORT: '3500' }, 'APP_API_TOKEN'],
    [{ DAPR_HTTP_PORT: '3500', APP_API_TOKEN: '   ' }, 'APP_API_TOKEN'],
    [{ APP_API_TOKEN: 'short' }, 'APP_API_TOKEN'],
    [{ METRICS_PORT: '3.5' }, 'METRICS_PORT'],
    [{ PUBSUB_NAME: 'kafka pubsub!' }, 'PUBSUB_NAME'],
    [{ DAPR_SUBSCRIPTIONS: 'both' }, 'DAPR_SUBSCRIPTIONS'],
    [{ OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL'],
    [{ OPENAI_TIMEOUT_MS: '10' }, 'OPENAI_TIMEOUT_MS'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ TASKS_PER_USER: '0' }, 'TASKS_PER_USER'],
    [{ REMINDERS_PER_USER: 'lots' }, 'REMINDERS_PER_USER'],
    [{ API_TOKENS_PER_USER: '-5' }, 'API_TOKENS_PER_USER'],
  ]
  for (const [source, variable] of bad) {
    test(`${JSON.stringify(source)} is refused naming ${variable}`, () => {
      try {
        loadEnv(source)
        throw new Error('expected a ConfigError')
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        expect((error as ConfigError).variable).toBe(variable)
        expect((error as ConfigError).message).toStartWith(`${variable}: `)
      }
    })
  }

  test('with a sidecar and no APP_API_TOKEN the start is refused, naming the variable and where the sidecar gets it', () => {
    expect(() => loadEnv({ DAPR_HTTP_PORT: '3500' })).toThrow(ConfigError)
    try {
      loadEnv({ DAPR_HTTP_PORT: '3500' })
    } catch (error) {
      expect((error as ConfigError).variable).toBe('APP_API_TOKEN')
      expect((error as Error).message).toContain('DAPR_HTTP_PORT')
      expect((error as Error).message).toContain('dapr.io/app-token-secret')
    }
    // A token too short to resist guessing is refused without echoing it.
    try {
      loadEnv({ DAPR_HTTP_PORT: '3500', APP_API_TOKEN: 'hunter2-abc' })
      throw new Error('expected a ConfigError')
    } catch (error) {
      expect((error as ConfigError).variable).toBe('APP_API_TOKEN')
      expect((error as Error).message).not.toContain('hunter2')
    }
    expect(loadEnv({ DAPR_HTTP_PORT: '3500', APP_API_TOKEN: 'a-long-enough-token' }).appApiToken).toBe('a-long-enough-token')
  })

  test('a bad DATABASE_URL is refused without echoing it (it carries a password)', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres//user:s3cret@host/db' })).toThrow(ConfigError)
    try {
      loadEnv({ DATABASE_URL: 'postgres//user:s3cret@host/db' })
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret')
    }
  })
})
