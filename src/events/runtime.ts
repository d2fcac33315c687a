// Picks the bus (Dapr when a sidecar is configured, else in-process) and runs the outbox relay on it.
import type { Database } from '../db/client'
import type { Env } from '../env'
import type { Logger } from '../lib/log'
import type { Metrics } from '../lib/metrics'
import { sidecarOf } from '../lib/sidecar'
import { daprBus, inProcessBus, type EventBus } from './bus'
import type { EventDelivery } from './delivery'
import { Relay } from './relay'

export interface EventRuntime {
  bus: EventBus
  relay: Relay
  stop(): Promise<void>
}

/** Starts publishing: without a sidecar, the in-process bus hands each event to `delivery` (the app's, from `eventDelivery`). */
export async function startEvents(options: {
  env: Env
  database: Database
  log: Logger
  /** Needed only without a sidecar (the Dapr bus delivers through the sidecar's routes). */
  delivery?: EventDelivery
  relay?: { pollMs?: number; leaseSeconds?: number }
  /** Publish attempts are counted here. */
  metrics?: Pick<Metrics, 'observePublish'>
}): Promise<EventRuntime> {
  const { env, log } = options
  const sidecar = sidecarOf(env)
  let bus: EventBus
  if (sidecar) bus = daprBus({ sidecar, pubsubName: env.pubsubName })
  else if (options.delivery) bus = inProcessBus({ delivery: options.delivery, log })
  else throw new Error('without a Dapr sidecar the in-process bus needs the app\'s event delivery')
  const relay = new Relay({ database: options.database, bus, log, onPublish: options.metrics?.observePublish, ...options.relay })
  await relay.start()
  log.info('events', { bus: bus.kind, pubsub: env.daprHttpPort ? env.pubsubName : undefined })
  return { bus, relay, stop: () => relay.stop() }
}
