// The deploy paths: what the CD workflows install (each environment's committed values file, never a placeholder),
// how they reach GKE (Workload Identity Federation), the Gateway route they render, and docs/deploy.md's names.
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { need, requires } from './helpers/requires'
import { parseManifests } from './helpers/tools'

const ROOT = new URL('..', import.meta.url).pathname
const CHART = join(ROOT, 'chart/todo-chatbot')
const WORKFLOWS = join(ROOT, '.github/workflows')
const GATEWAY_CRDS = join(ROOT, 'test/fixtures/gateway-crds')
const KUBE_VERSION = '1.30.0'
/** Host names and brokers that stand for "fill this in": never what an environment deploys. */
const PLACEHOLDER = /example\.(com|org|net)|\.invalid\b|\.local\b|localhost|changeme|your-/i

const rendered = requires('what the CD workflows render', need.helm, need.kubeconform)
const docsRendered = requires('docs/deploy.md against the rendered chart', need.helm)
const [helm, kubeconform] = [need.helm.found, need.kubeconform.found]

type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }
type Job = { environment?: string | { name: string }; permissions?: Record<string, string>; env?: Record<string, string>; steps: Step[] }
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any }

const readWorkflow = (file: string) => Bun.YAML.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { jobs: Record<string, Job> }

/** The environments the CD workflows deploy, each with its committed values file. */
const DEPLOYS = [
  { workflow: 'cd-staging.yaml', environment: 'staging', values: 'chart/todo-chatbot/values-staging.yaml' },
  { workflow: 'cd-production.yaml', environment: 'production', values: 'chart/todo-chatbot/values-production.yaml' },
]

/** Splits a shell command line into words, keeping quoted parts together (enough for a helm command). */
const words = (line: string) => (line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []).map((w) => w.replace(/"([^"]*)"|'([^']*)'/g, '$1$2'))

/** The `helm upgrade` of a job: the step, its values files, and its --set flags (continuation lines joined). */
function helmUpgrade(job: Job) {
  const step = job.steps.find((s) => s.run?.includes('helm upgrade'))
  if (!step) throw new Error('no helm upgrade step')
  const argv = words(step.run!.replace(/\\\n/g, ' ').split('\n').find((l) => l.includes('helm upgrade'))!)
  const files: string[] = []
  const sets: Array<{ flag: string; key: string; value: string }> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '-f' || arg === '--values') files.push(argv[++i]!)
    else if (/^--set(-string|-json|-file|-literal)?$/.test(arg)) {
      const [key, ...rest] = argv[++i]!.split('=')
      sets.push({ flag: arg, key: key!, value: rest.join('=') })
    } else if (/^(-f|--values|--set[a-z-]*)=/.test(arg)) throw new Error(`write ${arg.split('=')[0]} and its value as two words`)
  }
  return { step, files, sets }
}

describe('the CD workflows deploy each environment from its own values file', () => {
  for (const deploy of DEPLOYS) {
    const job = Object.values(readWorkflow(deploy.workflow).jobs).find((j) => j.steps.some((s) => s.run?.includes('helm upgrade')))!

    test(`${deploy.workflow}: the job runs in the ${deploy.environment} environment, and every --set comes from an environment variable`, () => {
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name
      expect(environment).toBe(deploy.environment)
      const { step, files, sets } = helmUpgrade(job)
      // Brokers, hosts and the rest come from the committed file; the command adds only what a run computes.
      expect(files).toEqual([deploy.values])
      expect(existsSync(join(ROOT, deploy.values))).toBe(true)
      expect(sets.map((s) => s.key)).toEqual(['image.tag'])
      const env = { ...job.env, ...step.env }
      for (const set of sets) {
        const variable = /^\$\{?([A-Z_][A-Z0-9_]*)\}?$/.exec(set.value)?.[1]
        expect(variable ? `$${variable}` : `--set ${set.key}=${set.value} (a literal)`).toBe(`$${variable}`)
        // The variable is the step's or the job's, computed by GitHub (an expression), never a literal typed here.
        expect(env[variable!] ?? `${variable} is not set by the job or step`).toContain('${{')
      }
      expect(step.run).not.toContain('${{')
    })

    test(`${deploy.workflow}: GKE through Workload Identity Federation (OIDC), actions pinned by commit, no kubeconfig secret`, () => {
      expect(job.permissions?.['id-token']).toBe('write')
      const text = readFileSync(join(WORKFLOWS, deploy.workflow), 'utf8')
      expect(text).not.toMatch(/KUBECONFIG\s*}}|secrets\.[A-Z_]*KUBECONFIG/)
      const uses = job.steps.map((s) => s.uses ?? '')
      const auth = job.steps.findIndex((s) => s.uses?.startsWith('google-github-actions/auth@'))
      const creds = job.steps.findIndex((s) => s.uses?.startsWith('google-github-actions/get-gke-credentials@'))
      const deployStep = job.steps.indexOf(helmUpgrade(job).step)
      expect(auth).toBeGreaterThanOrEqual(0)
      expect(auth < creds && creds < deployStep).toBe(true)
      for (const ref of [uses[auth]!, uses[creds]!]) expect(ref).toMatch(/@[0-9a-f]{40}$/)
      for (const line of text.split('\n').filter((l) => l.includes('google-github-actions/'))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
      const inputs = job.steps[auth]!.with!
      expect(inputs.workload_identity_provider).toBe('${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}')
      expect(inputs.service_account).toBe('${{ vars.GCP_SERVICE_ACCOUNT }}')
      expect(job.steps[creds]!.with).toMatchObject({ cluster_name: '${{ vars.GKE_CLUSTER }}', location: '${{ vars.GKE_LOCATION }}' })
      // A missing variable stops the run with its name, before any credential is asked for.
      const check = job.steps.findIndex((s) => s.run?.includes('::error::') && Object.values(s.env ?? {}).some((v) => v.includes('vars.')))
      expect(check).toBeGreaterThanOrEqual(0)
      expect(check).toBeLessThan(auth)
      const varsUsed = new Set([...text.matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]!))
      for (const name of varsUsed) expect(job.steps[check]!.run).toContain(name)
    })
  }

  test('no workflow and no committed values file an environment deploys holds a placeholder host or broker', () => {
    for (const file of readdirSync(WORKFLOWS)) expect(`${file}: ${readFileSync(join(WORKFLOWS, file), 'utf8').match(PLACEHOLDER)?.[0] ?? 'none'}`).toBe(`${file}: none`)
    for (const { values } of DEPLOYS) expect(`${values}: ${readFileSync(join(ROOT, values), 'utf8').match(PLACEHOLDER)?.[0] ?? 'none'}`).toBe(`${values}: none`)
  })
})

const temp = mkdtempSync(join(tmpdir(), 'todo-deploy-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function helmRun(args: string[]) {
  const p = Bun.spawnSync([helm!, ...args], { stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

function render(files: string[], sets: string[] = []): { text: string; objects: K8sObject[] } {
  const r = helmRun(['template', 'todo-chatbot', CHART, '--namespace', 'todo', '--kube-version', KUBE_VERSION, '--api-versions', 'policy/v1/PodDisruptionBudget', ...files.flatMap((f) => ['-f', join(ROOT, f)]), ...sets])
  if (r.code !== 0) throw new Error(r.err)
  const objects = parseManifests<K8sObject>(r.out)
  return { text: r.out, objects }
}

/** Renders exactly what a CD workflow's helm command installs, its environment variables filled as GitHub would. */
function renderDeploy(workflow: string) {
  const job = Object.values(readWorkflow(workflow).jobs).find((j) => j.steps.some((s) => s.run?.includes('helm upgrade')))!
  const { files, sets } = helmUpgrade(job)
  return render(files, sets.flatMap((s) => [s.flag, `${s.key}=0.1.0-ci`]))
}

/** kubeconform schemas made from the CRDs in test/fixtures/gateway-crds (no download). */
function gatewaySchemas(): string {
  const dir = join(temp, 'schemas')
  for (const file of readdirSync(GATEWAY_CRDS).filter((f) => f.endsWith('.yaml'))) {
    const parsed = Bun.YAML.parse(readFileSync(join(GATEWAY_CRDS, file), 'utf8')) as any
    for (const crd of Array.isArray(parsed) ? parsed : [parsed]) {
      for (const version of crd?.spec?.versions ?? []) {
        mkdirSync(join(dir, crd.spec.group), { recursive: true })
        writeFileSync(join(dir, crd.spec.group, `${crd.spec.names.kind.toLowerCase()}_${version.name}.json`), JSON.stringify(version.schema.openAPIV3Schema))
      }
    }
  }
  return dir
}

const metadataOf = (component: K8sObject) =>
  Object.fromEntries(component.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]))

rendered.describe('what the CD workflows render', () => {
  for (const deploy of DEPLOYS) {
    test(`${deploy.workflow}: real brokers and host, Managed Kafka over SASL/PLAIN, and no placeholder anywhere in the manifests`, () => {
      const { text, objects } = renderDeploy(deploy.workflow)
      expect(text.match(PLACEHOLDER)?.[0] ?? 'none').toBe('none')
      const pubsub = metadataOf(objects.find((o) => o.kind === 'Component' && o.spec.type === 'pubsub.kafka')!)
      // The bootstrap address Managed Kafka gives: bootstrap.<cluster>.<region>.managedkafka.<project>.cloud.goog:9092.
      const broker = /^bootstrap\.([a-z0-9-]+)\.([a-z0-9-]+)\.managedkafka\.([a-z0-9-]+)\.cloud\.goog:9092$/.exec(pubsub.brokers)
      expect(broker ? 'a Managed Kafka bootstrap address' : pubsub.brokers).toBe('a Managed Kafka bootstrap address')
      // SASL/PLAIN (Dapr's PLAINTEXT) as a service account of the same project, over TLS: SCRAM is refused there.
      expect(pubsub).toMatchObject({ authType: 'password', saslMechanism: 'PLAINTEXT', disableTls: 'false' })
      expect(pubsub.saslUsername).toMatch(new RegExp(`^[a-z0-9-]+@${broker![3]}\\.iam\\.gserviceaccount\\.com$`))
      const route = objects.find((o) => o.kind === 'HTTPRoute')!
      expect(route.spec.hostnames.length).toBeGreaterThan(0)
      expect(objects.find((o) => o.kind === 'Ingress')).toBeUndefined()
      const deployment = objects.find((o) => o.kind === 'Deployment')!
      expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/todo-chatbot/todo-chatbot:0.1.0-ci')
    })
  }

  test('staging and production are two environments: their brokers, projects and hosts differ', () => {
    const [staging, production] = DEPLOYS.map((d) => renderDeploy(d.workflow).objects)
    const brokers = (objects: K8sObject[]) => metadataOf(objects.find((o) => o.kind === 'Component' && o.spec.type === 'pubsub.kafka')!).brokers
    const hosts = (objects: K8sObject[]) => objects.find((o) => o.kind === 'HTTPRoute')!.spec.hostnames
    expect(brokers(staging!)).not.toBe(brokers(production!))
    expect(hosts(staging!)).not.toEqual(hosts(production!))
  })

  test('the HTTPRoute and the GKE HealthCheckPolicy are valid against their CRDs, and point at the app Service', () => {
    const schemas = gatewaySchemas()
    for (const deploy of DEPLOYS) {
      const { objects } = renderDeploy(deploy.workflow)
      const custom = objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'HealthCheckPolicy')
      expect(custom.map((o) => o.kind).sort()).toEqual(['HTTPRoute', 'HealthCheckPolicy'])
      const file = join(temp, `${deploy.environment}.yaml`)
      writeFileSync(file, custom.map((o) => JSON.stringify(o)).join('\n---\n'))
      const r = Bun.spawnSync([kubeconform!, '-strict', '-summary', '-output', 'json', '-schema-location', `${schemas}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`, file], { stdout: 'pipe', stderr: 'pipe' })
      const report = JSON.parse(r.stdout.toString()) as { resources?: Array<{ kind: string; status: string; msg: string }>; summary: { valid: number; invalid: number; errors: number } }
      expect(report.resources?.filter((x) => x.status !== 'statusValid') ?? []).toEqual([])
      expect(report.summary.valid).toBe(2)
      const service = objects.find((o) => o.kind === 'Service')!
      const route = objects.find((o) => o.kind === 'HTTPRoute')!
      expect(route.spec.rules[0].backendRefs).toEqual([{ name: service.metadata.name, port: service.spec.ports[0].port }])
      const check = objects.find((o) => o.kind === 'HealthCheckPolicy')!
      expect(check.spec.targetRef).toEqual({ group: '', kind: 'Service', name: service.metadata.name })
      // The probe asks a route that answers 200 when the pod can serve (GET / answers a redirect).
      const app = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0]
      expect(check.spec.default.config.httpHealthCheck.requestPath).toBe(app.readinessProbe.httpGet.path)
    }
  })

  test('the Gateway reaches the pods: the NetworkPolicy admits Google load balancer ranges to the app port only', () => {
    for (const deploy of DEPLOYS) {
      const policy = renderDeploy(deploy.workflow).objects.find((o) => o.kind === 'NetworkPolicy')!
      expect(policy.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }], ports: [{ port: 'http', protocol: 'TCP' }] })
      expect(JSON.stringify(policy.spec.ingress)).not.toContain('ingress-nginx')
    }
  })

  test('the HTTPRoute is off by default, and refuses to render without a Gateway or a host', () => {
    for (const values of ['chart/todo-chatbot/values.yaml', 'chart/todo-chatbot/values-local.yaml']) {
      expect(render([values], ['--set', 'secret.values.DATABASE_URL=postgres://u:p@db/todo']).objects.filter((o) => o.apiVersion.startsWith('gateway.networking.k8s.io/'))).toEqual([])
    }
    const base = ['--set', 'secret.values.DATABASE_URL=postgres://u:p@db/todo', '--set', 'httpRoute.enabled=true']
    expect(() => render(['chart/todo-chatbot/values.yaml'], [...base, '--set', 'httpRoute.hostnames[0]=todo.test.dev'])).toThrow(/httpRoute.parentRefs is required/)
    expect(() => render(['chart/todo-chatbot/values.yaml'], [...base, '--set', 'httpRoute.parentRefs[0].name=gw'])).toThrow(/httpRoute.hostnames is required/)
    const { objects } = render(['chart/todo-chatbot/values.yaml'], [...base, '--set', 'httpRoute.parentRefs[0].name=gw', '--set', 'httpRoute.parentRefs[0].namespace=infra', '--set', 'httpRoute.hostnames[0]=todo.test.dev'])
    expect(objects.find((o) => o.kind === 'HTTPRoute')!.spec).toMatchObject({ parentRefs: [{ name: 'gw', namespace: 'infra' }], hostnames: ['todo.test.dev'] })
    // The GKE-only policy comes only when asked for.
    expect(objects.find((o) => o.kind === 'HealthCheckPolicy')).toBeUndefined()
  })
})

describe('the kind workflow (GitHub only: it needs a container engine)', () => {
  const text = readFileSync(join(WORKFLOWS, 'e2e-kind.yaml'), 'utf8')
  const flow = Bun.YAML.parse(text) as { env: Record<string, string>; jobs: Record<string, Job> }
  const steps = Object.values(flow.jobs).flatMap((j) => j.steps)
  const runs = steps.map((s) => s.run ?? '').join('\n')
  const order = (needle: string) => {
    const at = steps.findIndex((s) => s.run?.includes(needle))
    expect(at >= 0 ? 'found' : `no step runs ${needle}`).toBe('found')
    return at
  }

  test('builds the image and prints its real size, then installs the pinned stack and the chart with values-local.yaml', () => {
    const build = order('docker build -t "$IMAGE" .')
    const size = order(`docker image inspect --format '{{.Size}}' "$IMAGE"`)
    const cluster = order('kind create cluster')
    const load = order('kind load docker-image "$IMAGE"')
    const dapr = order('dapr init -k --runtime-version "$DAPR_RUNTIME_VERSION" --wait')
    const strimzi = order('--version "$STRIMZI_VERSION"')
    const install = order('-f chart/todo-chatbot/values-local.yaml --wait')
    const smoke = order('bash .ci/e2e-smoke.sh')
    expect([build, size, cluster, load, dapr, strimzi, install, smoke]).toEqual([build, size, cluster, load, dapr, strimzi, install, smoke].sort((a, b) => a - b))
    // values-local.yaml runs the image that was loaded, never pulled.
    const local = Bun.YAML.parse(readFileSync(join(CHART, 'values-local.yaml'), 'utf8')) as { image: { repository: string; tag: string; pullPolicy: string } }
    expect(`${local.image.repository}:${local.image.tag}`).toBe(flow.env.IMAGE!)
    expect(local.image.pullPolicy).toBe('Never')
    // The smoke test reads Kafka on a broker pod and runs helm test: nothing is skipped in the cluster.
    const smokeRun = steps[smoke]!.run!
    for (const name of ['KAFKA_POD=', 'KAFKA_NAMESPACE=', 'HELM_RELEASE=', 'HELM_NAMESPACE=']) expect(smokeRun).toContain(name)
    expect(smokeRun).toContain('strimzi.io/broker-role=true')
    // The Strimzi version is the chart's own pin, read from Chart.yaml.
    expect(runs).toContain('todo-chatbot\\/strimzi-operator-version')
    for (const line of text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })

  test('installs the versions docs/deploy.md pins, and the docs say it runs on GitHub only', () => {
    const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8')
    /** The version cell of the docs' pinned-versions table row whose first cell starts with `what`. */
    const pinned = (what: string) => {
      const row = docs.split('\n').find((l) => l.startsWith(`| ${what}`))
      expect(row ?? `no row "${what}" in docs/deploy.md's table`).toStartWith('|')
      return row!.split('|')[2]!.trim().replace(/`/g, '')
    }
    expect(pinned('Dapr runtime')).toBe(flow.env.DAPR_RUNTIME_VERSION!)
    expect(pinned('Dapr CLI')).toBe(flow.env.DAPR_CLI_VERSION!)
    expect(pinned('kind')).toBe(flow.env.KIND_VERSION!)
    expect(pinned('Helm')).toBe(flow.env.HELM_VERSION!)
    // Every Dapr the docs install is that runtime version.
    for (const m of docs.matchAll(/(?:--runtime-version|dapr\/dapr --version) (\S+)/g)) expect(m[1]).toBe(flow.env.DAPR_RUNTIME_VERSION!)
    // Strimzi and its Kafka: the chart's pin (Chart.yaml's annotation) and kafka.strimzi.version.
    const chart = readFileSync(join(CHART, 'Chart.yaml'), 'utf8')
    const operator = /todo-chatbot\/strimzi-operator-version: *"?([0-9.]+)"?/.exec(chart)?.[1]
    const kafka = (Bun.YAML.parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { kafka: { strimzi: { version: string } } }).kafka.strimzi.version
    expect(operator).toBeDefined()
    expect(pinned('Strimzi operator')).toBe(operator!)
    expect(pinned('Kafka (Strimzi)')).toBe(kafka)
    for (const m of docs.matchAll(/strimzi-kafka-operator --version (\S+)/g)) expect(m[1]).toBe('"$STRIMZI_VERSION"')
    for (const m of docs.matchAll(/^STRIMZI_VERSION=(\S+)$/gm)) expect(m[1]).toBe(pinned('Strimzi operator'))
    expect(docs).toMatch(/^STRIMZI_VERSION=/m)
    expect(docs).toMatch(/e2e-kind\.yaml[^\n]*runs on GitHub only/)
  })
})
docsRendered.describe('docs/deploy.md', () => {
  const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8')

  test("names the Kafka broker pod Strimzi really creates: <cluster>-<node pool>-<n>", () => {
    const { objects } = render(['chart/todo-chatbot/values-local.yaml'], ['--set', 'secret.values.DATABASE_URL=postgres://u:p@db/todo'])
    const cluster = objects.find((o) => o.kind === 'Kafka')!.metadata.name
    const pools = objects.filter((o) => o.kind === 'KafkaNodePool' && o.spec.roles.includes('broker')).map((o) => o.metadata.name)
    expect(pools.length).toBeGreaterThan(0)
    const pods = pools.map((pool) => `${cluster}-${pool}-0`)
    const named = [...docs.matchAll(new RegExp(`\\b${cluster}-[a-z0-9-]+-\\d+\\b`, 'g'))].map((m) => m[0])
    expect(named.length).toBeGreaterThan(0)
    for (const name of named) expect(pods).toContain(name)
  })

  test('every values key a helm command in it sets is one the chart has', () => {
    const values = Bun.YAML.parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>
    // The helm commands that install this chart (continuation lines joined), and the keys their --set flags name.
    const commands = docs.replace(/\\\n/g, ' ').split('\n').filter((l) => /helm (upgrade|install|template)\b.*chart\/todo-chatbot/.test(l))
    expect(commands.length).toBeGreaterThan(1)
    const keys = commands.flatMap((c) => [...c.matchAll(/--set(?:-string)?\s+([A-Za-z][\w.]*)/g)].map((m) => m[1]!))
    expect(keys.length).toBeGreaterThan(0)
    const has = (path: string) => path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' && key in node ? (node as Record<string, unknown>)[key] : undefined), values) !== undefined
    const unknown = keys.filter((k) => !k.startsWith('secret.values.') && !k.startsWith('config.') && !k.startsWith('observability.serviceMonitor.labels.') && !has(k))
    expect(unknown).toEqual([])
  })
})
