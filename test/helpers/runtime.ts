// The real Dapr runtime beside the real app for end-to-end tests: a Kafka-protocol broker (franz-go's kfake, an
// in-memory cluster, not Apache Kafka), Dapr's scheduler and daprd (built by .ci/runtime/build.sh), and daprd
// loaded with the chart's own rendered Dapr objects, pointed at the local broker.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { freePort, startServer, type RunningServer } from './server'
import { startingUp, until } from './wait'
import { findTool, parseManifests } from './tools'

export const DAPR_VERSION = '1.14.0'
export const TOPICS = ['todo.task-events', 'todo.task-updates', 'todo.reminders']
const CHART = join(import.meta.dir, '..', '..', 'chart', 'todo-chatbot')

/**
 * The folder with daprd, scheduler, kafka-broker and kafka-records: TODO_RUNTIME_BIN (.ci/run sets it), else
 * built or reused now by .ci/runtime/build.sh when Go is here (a first build takes 10 to 40 minutes); undefined
 * without Go (the suites that need it say so through `need.daprRuntime`, test/helpers/requires.ts).
 */
export function runtimeBin(): string | undefined {
  const given = process.env.TODO_RUNTIME_BIN
  if (given) return given
  if (!Bun.which('go')) return undefined
  console.warn(`building or reusing Dapr ${DAPR_VERSION} with .ci/runtime/build.sh (the first build takes 10 to 40 minutes)`)
  const built = Bun.spawnSync(['bash', join(import.meta.dir, '..', '..', '.ci', 'runtime', 'build.sh')], { stdout: 'pipe', stderr: 'inherit', env: { ...process.env, DAPR_VERSION } })
  if (built.exitCode !== 0) throw new Error('.ci/runtime/build.sh failed: the real Dapr runtime could not be built')
  return built.stdout.toString().trim()
}

/** A child process whose output is kept (for the test's failure message) and that can be stopped and started again. */
export class Child {
  proc?: Subprocess<'ignore', 'pipe', 'pipe'>
  readonly output: string[] = []

  constructor(
    readonly name: string,
    private readonly cmd: string[],
    private readonly env: Record<string, string> = {},
  ) {}

  start(): this {
    const proc = Bun.spawn(this.cmd, { env: { ...process.env, ...this.env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
    this.proc = proc
    for (const stream of [proc.stdout, proc.stderr]) void this.collect(stream)
    return this
  }

  private async collect(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder()
    const reader = stream.getReader()
    for (let next = await reader.read(); !next.done; next = await reader.read()) this.output.push(...decoder.decode(next.value).split('\n').filter(Boolean))
  }

  /** Stops it (SIGTERM, then SIGKILL after `graceMs`) and waits for the exit. */
  async stop(graceMs = 5_000): Promise<void> {
    const proc = this.proc
    if (!proc || proc.exitCode !== null || proc.signalCode) return
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs)
    await proc.exited
    clearTimeout(timer)
  }

  get running(): boolean {
    return Boolean(this.proc && this.proc.exitCode === null && !this.proc.signalCode)
  }

  tail(lines = 30): string {
    return `${this.name}:\n${this.output.slice(-lines).join('\n')}`
  }
}

/** The children's last lines, for the message of a wait that timed out (`until`'s `detail`). */
export const tails = (...children: Child[]) => () => children.map((c) => c.tail()).join('\n')

const answers = async (url: string, status: number) => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === status

/** The broker, with our topics and their dead-letter topics created, `partitions` each. */
export async function startBroker(bin: string, partitions = 3): Promise<{ child: Child; port: number; address: string }> {
  const port = freePort()
  const topics = TOPICS.flatMap((t) => [t, `${t}.dlq`]).join(',')
  const child = new Child('kafka-broker', [join(bin, 'kafka-broker'), '-port', String(port), '-partitions', String(partitions), '-topics', topics]).start()
  await until('the Kafka-protocol broker', () => child.output.some((l) => l.startsWith('listening')), startingUp(tails(child)))
  return { child, port, address: `127.0.0.1:${port}` }
}

export interface KafkaRecord {
  topic: string
  partition: number
  offset: number
  key: string
  id: string
  type: string
  /** The task id, for our events. */
  subject: string
}

/** Every record now on `topics`, read back from the broker. */
export function readRecords(bin: string, broker: string, topics = TOPICS): KafkaRecord[] {
  const run = Bun.spawnSync([join(bin, 'kafka-records'), '-brokers', broker, '-topics', topics.join(',')], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) throw new Error(`kafka-records failed: ${run.stderr.toString()}`)
  return run.stdout.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as KafkaRecord)
}

/** Dapr's scheduler with its embedded etcd in `dataDir`; a restart keeps the jobs. */
export function scheduler(bin: string, dataDir: string) {
  const port = freePort()
  const [client, peer, healthz, metrics] = [freePort(), freePort(), freePort(), freePort()]
  const child = new Child('scheduler', [
    join(bin, 'scheduler'),
    '--port', String(port),
    '--listen-address', '127.0.0.1',
    '--etcd-data-dir', dataDir,
    '--etcd-client-ports', `dapr-scheduler-server-0=${client}`,
    '--initial-cluster', `dapr-scheduler-server-0=http://localhost:${peer}`,
    '--healthz-port', String(healthz),
    '--metrics-port', String(metrics),
  ])
  return {
    child,
    port,
    async start() {
      child.start()
      await until('the Dapr scheduler', () => answers(`http://127.0.0.1:${healthz}/healthz`, 200), startingUp(tails(child)))
    },
  }
}

export interface SidecarOptions {
  bin: string
  appId: string
  appPort: number
  resources: string
  schedulerPort: number
  appApiToken: string
  daprApiToken: string
  /** More daprd flags (those the chart's annotations ask the injector for). */
  args?: string[]
}

/** daprd for the app, on ports of its own; `start` waits until its components are ready (/v1.0/healthz/outbound). */
export function sidecar(options: SidecarOptions) {
  const [http, grpc, metrics, internal] = [freePort(), freePort(), freePort(), freePort()]
  const child = new Child(
    'daprd',
    [
      join(options.bin, 'daprd'),
      '--app-id', options.appId,
      '--app-port', String(options.appPort),
      '--app-protocol', 'http',
      '--dapr-http-port', String(http),
      '--dapr-grpc-port', String(grpc),
      '--metrics-port', String(metrics),
      '--dapr-internal-grpc-port', String(internal),
      '--dapr-listen-addresses', '127.0.0.1',
      '--resources-path', options.resources,
      '--scheduler-host-address', `127.0.0.1:${options.schedulerPort}`,
      '--placement-host-address', '',
      '--log-level', 'info',
      ...(options.args ?? []),
    ],
    { APP_API_TOKEN: options.appApiToken, DAPR_API_TOKEN: options.daprApiToken },
  )
  return {
    child,
    httpPort: http,
    url: `http://127.0.0.1:${http}`,
    async start() {
      child.start()
      await until('daprd components', () => answers(`http://127.0.0.1:${http}/v1.0/healthz/outbound`, 204), startingUp(tails(child)))
    },
  }
}

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any; scopes?: string[]; auth?: unknown; [key: string]: unknown }

/** The chart as `helm template` renders it for Minikube (values-local.yaml): every object, and the app id and annotations of its Deployment. */
export function renderChart(extraSet: string[] = []): { appId: string; annotations: Record<string, string>; objects: K8sObject[] } {
  const helm = findTool('helm', 'HELM_BIN')
  if (!helm) throw new Error('helm is needed to render the chart (.ci/run installs it)')
  const run = Bun.spawnSync([helm, 'template', 'todo', CHART, '--namespace', 'todo', '--kube-version', '1.30.0', '-f', join(CHART, 'values-local.yaml'), ...extraSet], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) throw new Error(run.stderr.toString())
  const objects = parseManifests<K8sObject>(run.stdout.toString())
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.spec?.template?.metadata?.annotations?.['dapr.io/enabled'] === 'true')
  const annotations = (deployment?.spec.template.metadata.annotations ?? {}) as Record<string, string>
  const appId = annotations['dapr.io/app-id']
  if (!appId) throw new Error('the chart renders no Deployment with a Dapr app id')
  return { appId, annotations, objects }
}

/** The partitions the chart gives our topics (its KafkaTopics). */
export const chartPartitions = (objects: K8sObject[]) => Math.max(...objects.filter((o) => o.kind === 'KafkaTopic').map((o) => Number(o.spec.partitions)))

/**
 * The chart's Dapr objects written as daprd's resources, made to run here: the Kafka component points at the
 * local broker, and the Kubernetes secret store becomes `secretstores.local.file` under the same name, reading
 * `secrets` (secret name → key → value).
 */
export function writeResources(dir: string, rendered: K8sObject[], broker: string, secrets: Record<string, Record<string, string>>): void {
  mkdirSync(dir, { recursive: true })
  const secretsFile = join(dir, '..', 'secrets.json')
  writeFileSync(secretsFile, JSON.stringify(secrets))
  const objects = rendered.filter((o) => o.apiVersion.startsWith('dapr.io/') && ['Component', 'Subscription', 'Resiliency'].includes(o.kind)).map((o) => structuredClone(o))
  for (const o of objects) {
    delete o.metadata.namespace
    if (o.kind === 'Component' && o.spec.type === 'pubsub.kafka') {
      o.spec.metadata = o.spec.metadata.map((m: { name: string; value?: string }) => (m.name === 'brokers' ? { name: 'brokers', value: broker } : m))
    }
    if (o.kind === 'Component' && o.spec.type === 'secretstores.kubernetes') {
      o.spec = { type: 'secretstores.local.file', version: 'v1', metadata: [{ name: 'secretsFile', value: secretsFile }, { name: 'multiValued', value: 'true' }] }
    }
    writeFileSync(join(dir, `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`), JSON.stringify(o))
  }
}

/** The daprd flags the injector derives from the chart's annotations (those that matter off Kubernetes). */
function injectedArgs(annotations: Record<string, string>): string[] {
  const args: string[] = []
  if (annotations['dapr.io/enable-app-health-check'] === 'true') args.push('--enable-app-health-check')
  if (annotations['dapr.io/app-health-check-path']) args.push('--app-health-check-path', annotations['dapr.io/app-health-check-path'])
  return args
}

export interface Stack {
  bin: string
  broker: Awaited<ReturnType<typeof startBroker>>
  scheduler: ReturnType<typeof scheduler>
  sidecar: ReturnType<typeof sidecar>
  app: RunningServer
  appId: string
  tokens: { app: string; dapr: string }
  /** What the sidecar's Dapr API answers (with the Dapr API token). */
  dapr(method: string, path: string, body?: unknown): Promise<Response>
  /** Every child's last lines, for a failure message. */
  tails(): string
  stop(): Promise<void>
}

/**
 * Broker, scheduler, daprd and the app, each its own process, wired as the chart wires them in a cluster.
 * `appEnv` adds to the app's settings (DATABASE_URL among them).
 */
export async function startStack(bin: string, appEnv: Record<string, string>, options: { secrets?: Record<string, Record<string, string>>; helmSet?: string[] } = {}): Promise<Stack> {
  const root = mkdtempSync(join(tmpdir(), 'todo-runtime-'))
  const tokens = { app: `app-${crypto.randomUUID()}`, dapr: `dapr-${crypto.randomUUID()}` }
  const started: Child[] = []
  let app: RunningServer | undefined
  const stopAll = async () => {
    await app?.stop()
    for (const child of [...started].reverse()) await child.stop()
    rmSync(root, { recursive: true, force: true })
  }
  try {
    const { appId, annotations, objects } = renderChart(options.helmSet)
    const broker = await startBroker(bin, chartPartitions(objects))
    started.push(broker.child)
    const sched = scheduler(bin, join(root, 'etcd'))
    started.push(sched.child)
    await sched.start()
    writeResources(join(root, 'resources'), objects, broker.address, options.secrets ?? {})
    const appPort = freePort()
    const car = sidecar({ bin, appId, appPort, resources: join(root, 'resources'), schedulerPort: sched.port, appApiToken: tokens.app, daprApiToken: tokens.dapr, args: injectedArgs(annotations) })
    started.push(car.child)
    // As in a pod, both start together: daprd's components come up without the app, and it reads the app's
    // subscriptions once the app's port opens.
    await car.start()
    const running = await startServer({
      PORT: String(appPort),
      DAPR_HTTP_PORT: String(car.httpPort),
      DAPR_HOST: '127.0.0.1',
      APP_API_TOKEN: tokens.app,
      DAPR_API_TOKEN: tokens.dapr,
      PUBSUB_NAME: 'pubsub-kafka',
      ...appEnv,
    })
    app = running
    await until('daprd to reach the app', () => answers(`${car.url}/v1.0/healthz`, 204), startingUp(tails(car.child)))
    return {
      bin,
      broker,
      scheduler: sched,
      sidecar: car,
      app: running,
      appId,
      tokens,
      dapr: (method, path, body) =>
        fetch(`${car.url}${path}`, { method, headers: { 'dapr-api-token': tokens.dapr, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }),
      tails: () => [...started.map((c) => c.tail()), `app:\n${running.raw.slice(-30).join('\n')}`].join('\n\n'),
      stop: stopAll,
    }
  } catch (error) {
    // Nothing started is left running when a later part fails to start.
    await stopAll()
    throw error
  }
}
