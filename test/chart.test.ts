// The Helm chart with the real helm: lint and render every values file, validate the Dapr objects against Dapr's
// CRD schemas (kubeconform), and tie the chart to the app (port, probes, topics, routes, settings, hardening).
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { subscriptions } from '../src/events/routes'
import { loadEnv } from '../src/env'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import { testApp } from './helpers/app'
import { need, requires } from './helpers/requires'
import { parseManifests } from './helpers/tools'

const CHART = new URL('../chart/todo-chatbot', import.meta.url).pathname
const CRDS = new URL('./fixtures/dapr-crds', import.meta.url).pathname
const KUBE_VERSION = '1.30.0'
const VALUES = ['values.yaml', 'values-local.yaml', 'values-staging.yaml', 'values-production.yaml']

const suite = requires('the Helm chart', need.helm, need.kubeconform)
const [helm, kubeconform] = [need.helm.found, need.kubeconform.found]

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string>; scopes?: string[]; auth?: { secretStore?: string }; roleRef?: unknown; subjects?: unknown[]; rules?: unknown[] }

function run(args: string[]): { code: number; out: string; err: string } {
  const p = Bun.spawnSync(args, { stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

/** The chart rendered with a values file (a DATABASE_URL given as a flag, as an install would). */
function render(values: string, extra: string[] = []): { text: string; objects: K8sObject[] } {
  // A real cluster reports policy/v1; helm template needs telling (the PDB is gated on it).
  const r = run([helm!, 'template', 'todo', CHART, '--namespace', 'todo', '--kube-version', KUBE_VERSION, '--api-versions', 'policy/v1/PodDisruptionBudget', '-f', join(CHART, values), '--set', 'secret.values.DATABASE_URL=postgres://u:p@db/todo', ...extra])
  if (r.code !== 0) throw new Error(r.err)
  const objects = parseManifests<K8sObject>(r.out)
  return { text: r.out, objects }
}

/** One pod the objects would run: a Pod's own spec, or a workload's template. */
interface PodOf {
  owner: K8sObject
  labels: Record<string, string>
  spec: any
}

function podsOf(objects: K8sObject[]): PodOf[] {
  const pods: PodOf[] = []
  for (const o of objects) {
    if (o.kind === 'Pod') pods.push({ owner: o, labels: o.metadata.labels ?? {}, spec: o.spec })
    else if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) pods.push({ owner: o, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec })
    else if (o.kind === 'CronJob') pods.push({ owner: o, labels: o.spec.jobTemplate.spec.template.metadata?.labels ?? {}, spec: o.spec.jobTemplate.spec.template.spec })
  }
  return pods
}

type Container = { name: string; image: string; command?: string[]; args?: string[]; env?: Array<{ name: string; value?: string; valueFrom?: any }>; envFrom?: any[]; resources?: { requests?: Record<string, string> } }
const containersOf = (spec: { initContainers?: Container[]; containers?: Container[] }): Container[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v)

const hooksOf = (o: K8sObject) => (o.metadata.annotations?.['helm.sh/hook'] ?? '').split(',').map((h) => h.trim()).filter(Boolean)
const weightOf = (o: K8sObject) => Number(o.metadata.annotations?.['helm.sh/hook-weight'] ?? 0)

/**
 * When an object comes to exist in one Helm operation, as [step, weight]. Helm runs the pre-hooks one weight after
 * the other (waiting for a Job to finish), then creates the release's own objects, then the post-hooks; `helm test`
 * comes after. At an upgrade the release's own objects are already there, as are install hooks that no delete policy
 * removed. Undefined: the object does not exist during that operation.
 */
function stepOf(o: K8sObject, operation: 'install' | 'upgrade'): [number, number] | undefined {
  const hooks = hooksOf(o)
  if (!hooks.length) return operation === 'install' ? [1, 0] : [-1, 0]
  if (hooks.includes(`pre-${operation}`)) return [0, weightOf(o)]
  if (hooks.includes(`post-${operation}`)) return [2, weightOf(o)]
  if (hooks.includes('test')) return [3, weightOf(o)]
  const deletePolicy = o.metadata.annotations?.['helm.sh/hook-delete-policy'] ?? ''
  if (operation === 'upgrade' && hooks.some((h) => h.endsWith('-install')) && !deletePolicy.includes('hook-succeeded')) return [-1, 0]
  return undefined
}
/** Whether step `a` is done before step `b` starts (the release's own objects are created together, in no order Helm promises for a hook). */
const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[0] !== 1 && a[1] < b[1])

/**
 * What a pod needs to exist before it can run: the Secrets, ConfigMaps and PVCs it mounts or reads, its
 * ServiceAccount, and each Service it dials, found as a host in its commands, arguments and environment, or in
 * the values of a Secret or ConfigMap it reads (DATABASE_URL naming the in-cluster PostgreSQL, say).
 */
function needsOf(spec: any, objects: K8sObject[]): Array<{ kind: string; name: string; via: string }> {
  const needs: Array<{ kind: string; name: string; via: string }> = []
  const need = (kind: string, name: string | undefined, via: string) => name && needs.push({ kind, name, via })
  for (const s of spec.imagePullSecrets ?? []) need('Secret', s.name, 'imagePullSecrets')
  if (spec.serviceAccountName && spec.serviceAccountName !== 'default') need('ServiceAccount', spec.serviceAccountName, 'serviceAccountName')
  for (const v of spec.volumes ?? []) {
    if (v.secret && !v.secret.optional) need('Secret', v.secret.secretName, `volume ${v.name}`)
    if (v.configMap && !v.configMap.optional) need('ConfigMap', v.configMap.name, `volume ${v.name}`)
    if (v.persistentVolumeClaim) need('PersistentVolumeClaim', v.persistentVolumeClaim.claimName, `volume ${v.name}`)
    for (const p of v.projected?.sources ?? []) {
      if (p.secret && !p.secret.optional) need('Secret', p.secret.name, `volume ${v.name}`)
      if (p.configMap && !p.configMap.optional) need('ConfigMap', p.configMap.name, `volume ${v.name}`)
    }
  }
  const texts: string[] = []
  for (const c of containersOf(spec)) {
    texts.push(...(c.command ?? []), ...(c.args ?? []))
    for (const e of c.env ?? []) {
      if (e.value !== undefined) texts.push(e.value)
      const secret = e.valueFrom?.secretKeyRef
      if (secret && !secret.optional) need('Secret', secret.name, `${c.name} env ${e.name}`)
      const config = e.valueFrom?.configMapKeyRef
      if (config && !config.optional) need('ConfigMap', config.name, `${c.name} env ${e.name}`)
    }
    for (const f of c.envFrom ?? []) {
      if (f.secretRef && !f.secretRef.optional) need('Secret', f.secretRef.name, `${c.name} envFrom`)
      if (f.configMapRef && !f.configMapRef.optional) need('ConfigMap', f.configMapRef.name, `${c.name} envFrom`)
    }
  }
  for (const { kind, name } of [...needs]) {
    const source = objects.find((o) => o.kind === kind && o.metadata.name === name && (kind === 'Secret' || kind === 'ConfigMap'))
    if (source) texts.push(...Object.values(source.stringData ?? {}), ...Object.values(source.data ?? {}).map((v) => (kind === 'Secret' ? Buffer.from(v, 'base64').toString() : v)))
  }
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const host = new RegExp(`(^|[^a-z0-9.-])${service.metadata.name}(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?($|[^a-z0-9.-])`)
    const text = texts.find((t) => host.test(t))
    if (text !== undefined) need('Service', service.metadata.name, 'a host it dials')
  }
  return needs
}

const temp = mkdtempSync(join(tmpdir(), 'todo-chart-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** kubeconform schemas for Dapr's kinds, made from the CRDs in test/fixtures/dapr-crds (no download). */
function daprSchemas(): string {
  const dir = join(temp, 'schemas')
  for (const file of readdirSync(CRDS).filter((f) => f.endsWith('.yaml'))) {
    const crd = Bun.YAML.parse(readFileSync(join(CRDS, file), 'utf8')) as any
    const docs = Array.isArray(crd) ? crd : [crd]
    for (const doc of docs) {
      if (!doc?.spec?.versions) continue
      for (const version of doc.spec.versions) {
        mkdirSync(join(dir, doc.spec.group), { recursive: true })
        writeFileSync(join(dir, doc.spec.group, `${doc.spec.names.kind.toLowerCase()}_${version.name}.json`), JSON.stringify(version.schema.openAPIV3Schema))
      }
    }
  }
  return dir
}

suite.describe('the Helm chart', () => {
  for (const values of VALUES) {
    test(`${values}: helm lint --strict passes`, () => {
      const r = run([helm!, 'lint', '--strict', '--kube-version', KUBE_VERSION, CHART, '-f', join(CHART, values), '--set', 'secret.values.DATABASE_URL=postgres://x'])
      expect(r.err + r.out).toContain('0 chart(s) failed')
      expect(r.code).toBe(0)
    })

    test(`${values}: every Dapr object is valid against Dapr's CRD schemas`, () => {
      const { text, objects } = render(values, ['--set', 'dapr.subscriptions=declarative', '--set', 'observability.tracing.enabled=true'])
      const dapr = objects.filter((o) => o.apiVersion.startsWith('dapr.io/'))
      expect(dapr.length).toBeGreaterThan(0)
      const file = join(temp, `${values}.yaml`)
      writeFileSync(file, text)
      const schemas = daprSchemas()
      const r = run([kubeconform!, '-strict', '-summary', '-output', 'json', '-schema-location', `${schemas}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`, '-ignore-missing-schemas', file])
      const report = JSON.parse(r.out) as { resources?: Array<{ kind: string; status: string; msg: string }>; summary: { valid: number; invalid: number; errors: number } }
      expect(report.summary.invalid + report.summary.errors).toBe(0)
      expect(report.summary.valid).toBe(dapr.length)
    })
  }

  for (const values of VALUES) {
    test(`${values}: every Kubernetes object is valid against the Kubernetes schemas (kubernetes-models)`, async () => {
      const { objects } = render(values, ['--set', 'networkPolicy.enabled=true', '--set', 'ingress.enabled=true', '--set', 'autoscaling.enabled=true', '--set', 'observability.grafanaDashboard.enabled=true'])
      // Custom resources are checked against their own CRDs (here Dapr's; the Gateway API's in test/deploy.test.ts).
      const core = objects.filter((o) => !o.apiVersion.startsWith('dapr.io/') && !o.apiVersion.startsWith('kafka.strimzi.io/') && !/^(gateway\.networking\.k8s\.io|networking\.gke\.io)\//.test(o.apiVersion))
      expect(core.length).toBeGreaterThan(8)
      const problems: string[] = []
      for (const object of core) {
        const path = `kubernetes-models/${object.apiVersion}/${object.kind}`
        const Model = ((await import(path)) as Record<string, new (o: unknown) => { validate(): void }>)[object.kind]!
        try {
          new Model(object).validate()
        } catch (error) {
          problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`)
        }
      }
      expect(problems).toEqual([])
    })
  }

  test('the Deployment ties to the app: port, probes on routes that exist, Dapr annotations, hardening', async () => {
    const { objects } = render('values.yaml')
    const deploy = objects.find((o) => o.kind === 'Deployment')!
    const pod = deploy.spec.template
    const app = pod.spec.containers.find((c: { name: string }) => c.name === 'app')
    const port = app.ports[0].containerPort
    const env = Object.fromEntries(app.env.map((e: { name: string; value?: string }) => [e.name, e.value]))
    expect(String(port)).toBe(env.PORT)
    const a = pod.metadata.annotations
    expect(a['dapr.io/enabled']).toBe('true')
    expect(a['dapr.io/app-port']).toBe(String(port))
    expect(a['dapr.io/app-protocol']).toBe('http')
    expect(a['dapr.io/enable-app-health-check']).toBe('true')
    expect(a['dapr.io/app-health-check-path']).toBe('/healthz')
    expect(a['dapr.io/graceful-shutdown-seconds']).toBeDefined()
    expect(a['checksum/config']).toMatch(/^[0-9a-f]{64}$/)
    expect(app.readinessProbe.httpGet.path).toBe('/readyz')
    expect(app.livenessProbe.httpGet.path).toBe('/healthz')
    // The probe paths answer in the app (not 404).
    const t = await testApp()
    try {
      for (const path of [app.readinessProbe.httpGet.path, app.livenessProbe.httpGet.path, a['dapr.io/app-health-check-path']]) {
        expect((await t.call('GET', path)).status).toBe(200)
      }
    } finally {
      await t.dispose()
    }
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
    expect(app.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    expect(app.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' })
    expect(app.resources.limits.memory).toBeDefined()
    expect(deploy.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'todo-chatbot', 'app.kubernetes.io/instance': 'todo' })
  })

  test('the Dapr resources name the topics and routes the app publishes and serves', () => {
    const { objects } = render('values-local.yaml', ['--set', 'dapr.subscriptions=declarative'])
    const appId = objects.find((o) => o.kind === 'Deployment')!.spec.template.metadata.annotations['dapr.io/app-id']
    const pubsubName = objects.find((o) => o.kind === 'ConfigMap')!.data!.PUBSUB_NAME
    const pubsub = objects.find((o) => o.kind === 'Component' && o.spec.type === 'pubsub.kafka')!
    expect(pubsub.metadata.name).toBe(pubsubName!)
    expect(pubsub.scopes).toEqual([appId])
    for (const component of objects.filter((o) => o.kind === 'Component' || o.kind === 'Resiliency' || o.kind === 'Subscription')) {
      expect(component.scopes).toEqual([appId])
    }
    const declared = objects.filter((o) => o.kind === 'Subscription').map((s) => ({ topic: s.spec.topic, route: s.spec.routes.default, dlq: s.spec.deadLetterTopic }))
    const app = subscriptions(pubsubName!).map((s) => ({ topic: s.topic, route: s.route, dlq: (s as { deadLetterTopic?: string }).deadLetterTopic }))
    expect(declared.sort((x, y) => x.topic.localeCompare(y.topic))).toEqual(app.sort((x, y) => x.topic.localeCompare(y.topic)))
    const kafkaTopics = objects.filter((o) => o.kind === 'KafkaTopic').map((k) => k.spec.topicName).sort()
    expect(kafkaTopics).toEqual(app.map((s) => s.topic).sort())
    const resiliency = objects.find((o) => o.kind === 'Resiliency')!
    expect(Object.keys(resiliency.spec.targets.components)).toEqual([pubsubName!])
  })

  test('with Dapr the app and its sidecar share one app token, which the app requires: key token of the Secret', () => {
    for (const values of VALUES) {
      const { objects } = render(values)
      const deployment = objects.find((o) => o.kind === 'Deployment')!
      const secretName = deployment.spec.template.metadata.annotations['dapr.io/app-token-secret']
      expect(secretName).toBe(values === 'values.yaml' ? 'todo-todo-chatbot-secrets' : 'todo-chatbot-secrets')
      const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]))
      // Dapr's injector reads key `token` of that Secret; the app reads the same key, from the environment or the secret store.
      if (env.SECRET_MAP) expect(env.SECRET_MAP).toBe(`APP_API_TOKEN=${secretName}:token`)
      else expect(env.APP_API_TOKEN).toEqual({ secretKeyRef: { name: secretName, key: 'token' } })
    }
    // A Secret the chart makes gets a generated token (the given one when set), long enough for the app to accept.
    const made = render('values.yaml').objects.find((o) => o.kind === 'Secret')!.stringData!
    const config = render('values.yaml').objects.find((o) => o.kind === 'ConfigMap')!.data!
    expect(made.token!.length).toBeGreaterThanOrEqual(32)
    expect(loadEnv({ ...config, DATABASE_URL: 'postgres://u:p@db/todo', DAPR_HTTP_PORT: '3500', APP_API_TOKEN: made.token }).appApiToken).toBe(made.token)
    expect(render('values.yaml', ['--set', 'secret.values.token=given-by-the-operator-0123']).objects.find((o) => o.kind === 'Secret')!.stringData!.token).toBe('given-by-the-operator-0123')
    // Without the token the app would not start beside its sidecar: the chart refuses a short one, or a key the injector does not read.
    expect(() => render('values.yaml', ['--set', 'secret.values.token=short'])).toThrow(/at least 16 characters/)
    expect(() => render('values.yaml', ['--set', 'dapr.appApiTokenSecretKey=other'])).toThrow(/appApiTokenSecretKey/)
    expect(() => render('values.yaml', ['--set', 'dapr.appApiTokenSecretKey='])).toThrow(/appApiTokenSecretKey/)
  })

  test('subscriptions are declared one way only: programmatic by default renders no Subscription', () => {
    expect(render('values.yaml').objects.filter((o) => o.kind === 'Subscription')).toEqual([])
  })

  test('every setting in the ConfigMap is one the app reads, and loads', () => {
    const source = readFileSync(new URL('../src/env.ts', import.meta.url), 'utf8')
    const known = new Set([...source.matchAll(/\(source, '([A-Z_]+)'/g)].map((m) => m[1]!).concat('DATABASE_URL'))
    for (const values of VALUES) {
      const config = render(values).objects.find((o) => o.kind === 'ConfigMap')!.data!
      for (const key of Object.keys(config)) expect(known.has(key) ? key : `unknown setting ${key}`).toBe(key)
      expect(() => loadEnv({ ...config, PORT: '3000', DATABASE_URL: 'postgres://u:p@db/todo' })).not.toThrow()
    }
  })

  test('no committed values file carries a secret value', () => {
    // Keys that would hold a secret itself (names of Secrets and of their keys are fine).
    const SECRET_KEY = /^(password|saslPassword|token|apiKey|api_key|OPENAI_API_KEY|DATABASE_URL|APP_API_TOKEN|DAPR_API_TOKEN|POSTGRES_PASSWORD)$/i
    const found: string[] = []
    const walk = (node: unknown, path: string) => {
      if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`)
      const key = path.split('.').at(-1)!
      if (SECRET_KEY.test(key) && typeof node === 'string' && node !== '') found.push(path)
    }
    for (const values of VALUES) {
      const parsed = Bun.YAML.parse(readFileSync(join(CHART, values), 'utf8')) as { secret?: { values?: Record<string, unknown> } }
      walk(parsed, values)
      expect(Object.keys(parsed.secret?.values ?? {})).toEqual([])
    }
    expect(found).toEqual([])
  })

  test('production: a route on the GKE Gateway (which holds TLS), autoscaling, SASL/PLAIN Kafka from a Secret, PDB; the chart refuses an install without a database', () => {
    const { objects } = render('values-production.yaml')
    expect(objects.find((o) => o.kind === 'Ingress')).toBeUndefined()
    const route = objects.find((o) => o.kind === 'HTTPRoute')!
    expect(route.spec.parentRefs).toEqual([{ name: 'todo-gateway', sectionName: 'https' }])
    expect(route.spec.hostnames.length).toBe(1)
    expect(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')).toBeDefined()
    expect(objects.find((o) => o.kind === 'PodDisruptionBudget')!.spec.minAvailable).toBe(2)
    const pubsub = objects.find((o) => o.kind === 'Component' && o.spec.type === 'pubsub.kafka')!
    const meta = Object.fromEntries(pubsub.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]))
    // Managed Kafka takes SASL/PLAIN (Dapr's PLAINTEXT) or OAUTHBEARER, never SCRAM (SHA-256/SHA-512).
    expect(meta).toMatchObject({ authType: 'password', saslMechanism: 'PLAINTEXT', saslPassword: { name: 'todo-chatbot-kafka', key: 'password' }, disableTls: 'false' })
    const noDb = run([helm!, 'template', 'todo', CHART, '--kube-version', KUBE_VERSION])
    expect(noDb.code).not.toBe(0)
    expect(noDb.err).toContain('DATABASE_URL')
  })

  test('RBAC lets the app read only its own Secret', () => {
    const { objects } = render('values-production.yaml')
    const role = objects.find((o) => o.kind === 'Role')! as unknown as { metadata: { name: string }; rules: Array<Record<string, string[]>> }
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['todo-chatbot-secrets'], verbs: ['get'] }])
    // Bound to the service account the pods run as, and to nothing else.
    const binding = objects.find((o) => o.kind === 'RoleBinding')!
    const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name })
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: expect.any(String) }])
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([])
  })

  test('production reads its secrets through the Kubernetes secret store, scoped to the app; the migration job keeps the environment', () => {
    const { objects } = render('values-production.yaml')
    const store = objects.find((o) => o.kind === 'Component' && o.spec.type === 'secretstores.kubernetes')!
    const deployment = objects.find((o) => o.kind === 'Deployment')!
    const appId = deployment.spec.template.metadata.annotations['dapr.io/app-id']
    expect(store.scopes).toEqual([appId])
    const env = (container: { env: Array<{ name: string; value?: string; valueFrom?: unknown }> }) => Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]))
    const app = env(deployment.spec.template.spec.containers[0])
    expect(app).toMatchObject({ SECRET_STORE: store.metadata.name, SECRET_STORE_SECRET: 'todo-chatbot-secrets', SECRET_MAP: 'APP_API_TOKEN=todo-chatbot-secrets:token' })
    // No secret sits in the app container's environment.
    for (const name of ['DATABASE_URL', 'OPENAI_API_KEY', 'APP_API_TOKEN', 'DAPR_API_TOKEN']) expect(app[name]).toBeUndefined()
    const job = objects.find((o) => o.kind === 'Job')!
    expect(env(job.spec.template.spec.containers[0]).DATABASE_URL).toEqual({ secretKeyRef: { name: 'todo-chatbot-secrets', key: 'DATABASE_URL' } })
    // Locally the environment stays the source.
    const local = env(render('values-local.yaml').objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0])
    expect(local.SECRET_STORE).toBeUndefined()
    expect(local.DATABASE_URL).toBeDefined()
  })

  describe('install order', () => {
    const postgresService = () => render('values-local.yaml').objects.find((o) => o.kind === 'Service' && o.metadata.labels?.['app.kubernetes.io/component'] === 'postgresql')!.metadata.name

    test('every hook finds what it needs: each Secret, ConfigMap, PVC, ServiceAccount and Service its pod uses exists before it, at install and at upgrade', () => {
      // Minikube with the Secret made by the chart, so that its DATABASE_URL, naming the in-cluster PostgreSQL's
      // Service as docs/deploy.md has it, is visible here (with an existing Secret it is the same database).
      const minikube = ['--set', 'secret.existingSecret=', '--set', 'secret.values.POSTGRES_PASSWORD=pw', '--set', `secret.values.DATABASE_URL=postgres://todo:pw@${postgresService()}:5432/todo`]
      const cases: Array<[string, string[]]> = [...VALUES.map((v): [string, string[]] => [v, []]), ['values-local.yaml', minikube]]
      const problems: string[] = []
      let checked = 0
      for (const [values, extra] of cases) {
        const { objects } = render(values, extra)
        for (const operation of ['install', 'upgrade'] as const) {
          for (const pod of podsOf(objects)) {
            const at = stepOf(pod.owner, operation)
            if (!at || !hooksOf(pod.owner).length) continue
            for (const need of needsOf(pod.spec, objects)) {
              const target = objects.find((o) => o.kind === need.kind && o.metadata.name === need.name)
              // Not the chart's: made before the install (an existing Secret, Strimzi's Services).
              if (!target) continue
              checked++
              const ready = stepOf(target, operation)
              if (!ready || !before(ready, at)) {
                problems.push(`${values}${extra.length ? ' (Minikube, chart-made Secret)' : ''}, helm ${operation}: ${pod.owner.kind}/${pod.owner.metadata.name} (hook ${hooksOf(pod.owner).join(',')}, weight ${weightOf(pod.owner)}) needs ${need.kind}/${need.name} (${need.via}), which ${ready ? `is created after it (${hooksOf(target).join(',') || 'a release object'})` : 'does not exist then'}`)
              }
            }
          }
        }
      }
      expect(problems).toEqual([])
      // The check saw something: the migration hook needs the Secret the chart makes (a hook of lower weight).
      expect(checked).toBeGreaterThan(0)
    })

    test('with the in-cluster PostgreSQL the app migrates at start (no hook can run before the database exists), and the chart holds it to that', () => {
      const { objects } = render('values-local.yaml')
      expect(objects.filter((o) => o.kind === 'Job')).toEqual([])
      expect(objects.find((o) => o.kind === 'ConfigMap')!.data!.MIGRATE_ON_START).toBe('true')
      expect(() => render('values-local.yaml', ['--set', 'config.MIGRATE_ON_START=false'])).toThrow(/MIGRATE_ON_START/)
      // With an external database the hook migrates before the new pods.
      expect(hooksOf(render('values-production.yaml').objects.find((o) => o.kind === 'Job')!)).toEqual(['pre-install', 'pre-upgrade'])
    })

    test('with PostgreSQL and Kafka in the release, the pod waits for their Services before daprd and the app start', () => {
      const { objects } = render('values-local.yaml')
      const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec
      const wait = (pod.initContainers ?? []).find((c: Container) => c.name === 'wait-for-dependencies') as Container | undefined
      expect(wait).toBeDefined()
      // What daprd dials (the pub/sub's brokers: the Strimzi cluster's bootstrap Service on its plain listener) and the database.
      const brokers = objects.find((o) => o.kind === 'Component' && o.spec.type === 'pubsub.kafka')!.spec.metadata.find((m: { name: string }) => m.name === 'brokers').value.split(',')
      const kafka = objects.find((o) => o.kind === 'Kafka')!
      expect(brokers).toEqual([`${kafka.metadata.name}-kafka-bootstrap:${kafka.spec.kafka.listeners.find((l: { tls: boolean }) => !l.tls).port}`])
      const postgres = objects.find((o) => o.kind === 'Service' && o.metadata.name === postgresService())!
      expect(wait!.args).toEqual([`${postgres.metadata.name}:${postgres.spec.ports[0].port}`, ...brokers])
      // Its script, run here with stand-ins for nc (each target refuses once) and sleep: it tries each target until it answers.
      const bin = join(temp, 'wait-bin')
      mkdirSync(bin, { recursive: true })
      writeFileSync(join(bin, 'nc'), `#!/bin/sh\necho "$@" >> "${bin}/calls"\nf="${bin}/seen-$4"\n[ -e "$f" ] && exit 0\ntouch "$f"\nexit 1\n`, { mode: 0o755 })
      writeFileSync(join(bin, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
      const run = Bun.spawnSync([...wait!.command!, ...wait!.args!], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdout: 'pipe', stderr: 'pipe' })
      expect(run.exitCode).toBe(0)
      const calls = readFileSync(join(bin, 'calls'), 'utf8').trim().split('\n')
      expect(calls).toEqual(wait!.args!.flatMap((t) => Array(2).fill(`-z -w 2 ${t.replace(':', ' ')}`)))
      // Without Kafka or PostgreSQL in the release there is nothing to wait for.
      for (const values of ['values.yaml', 'values-production.yaml']) {
        expect(render(values).objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.initContainers).toBeUndefined()
      }
    })
  })

  test("only the app's pods carry its selector labels (the Service, PDB and HPA count nothing else), and every container asks for CPU and memory", () => {
    for (const values of VALUES) {
      const { objects } = render(values, ['--set', 'autoscaling.enabled=true', '--set', 'podDisruptionBudget.enabled=true', '--set', 'networkPolicy.enabled=true'])
      const deployment = objects.find((o) => o.kind === 'Deployment')!
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === deployment.metadata.name)!
      const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget')!
      // The HPA scales, and counts, the pods of the Deployment's selector.
      expect(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')!.spec.scaleTargetRef.name).toBe(deployment.metadata.name)
      const selectors = { deployment: deployment.spec.selector.matchLabels, service: service.spec.selector, pdb: pdb.spec.selector.matchLabels }
      const pods = podsOf(objects)
      expect(pods.map((p) => p.owner.kind).sort()).toEqual(values === 'values-local.yaml' ? ['Deployment', 'Pod', 'StatefulSet'] : ['Deployment', 'Job', 'Pod'])
      for (const pod of pods) {
        const mine = pod.owner === deployment
        for (const [by, selector] of Object.entries(selectors)) expect(`${pod.owner.kind}/${pod.owner.metadata.name} ${matches(selector, pod.labels) ? 'counted' : 'not counted'} by the ${by}`).toBe(`${pod.owner.kind}/${pod.owner.metadata.name} ${mine ? 'counted' : 'not counted'} by the ${by}`)
        for (const c of containersOf(pod.spec)) expect({ pod: pod.owner.metadata.name, container: c.name, requests: c.resources?.requests }).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) } })
      }
      // The helm test pod, no longer one of the app's, is still let through the NetworkPolicy to the port it calls.
      const testPod = pods.find((p) => hooksOf(p.owner).includes('test'))!
      const policy = objects.find((o) => o.kind === 'NetworkPolicy')!
      expect(matches(policy.spec.podSelector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true)
      const opened = policy.spec.ingress.filter((rule: { from: Array<{ podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: unknown }> }) => rule.from.some((f) => f.podSelector && !f.namespaceSelector && matches(f.podSelector.matchLabels, testPod.labels)))
      expect(opened.flatMap((rule: { ports: Array<{ port: string }> }) => rule.ports.map((p) => p.port))).toContain(service.spec.ports.find((p: { port: number }) => p.port === Number(/:(\d+)\//.exec(testPod.spec.containers[0].command.join(' '))![1])).targetPort)
    }
  })

  test('shutdown: a preStop sleep before SIGTERM, in a grace period that covers it, the drain of in-flight requests and daprd', () => {
    for (const values of VALUES) {
      const { objects } = render(values)
      const template = objects.find((o) => o.kind === 'Deployment')!.spec.template
      const app = template.spec.containers.find((c: Container) => c.name === 'app')
      // The sleep action, not exec: the distroless image has no sleep binary, and needs none.
      expect(Object.keys(app.lifecycle.preStop)).toEqual(['sleep'])
      const sleep = app.lifecycle.preStop.sleep.seconds as number
      expect(sleep).toBeGreaterThanOrEqual(5)
      const config = objects.find((o) => o.kind === 'ConfigMap')!.data!
      const drain = Math.ceil(loadEnv({ ...config, DATABASE_URL: 'postgres://u:p@db/todo' }).shutdownTimeoutMs / 1000)
      expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleep + drain)
      expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(template.metadata.annotations['dapr.io/graceful-shutdown-seconds']))
    }
    // The sleep action is on by default from Kubernetes 1.30 (beta; GA in 1.34): the chart refuses older clusters.
    expect(() => render('values.yaml', ['--kube-version', '1.29.0'])).toThrow(/kubeVersion/)
    // A grace period shorter than the sleep and the drain stops the install.
    expect(() => render('values.yaml', ['--set', 'shutdown.terminationGracePeriodSeconds=15'])).toThrow(/terminationGracePeriodSeconds/)
  })

  test('subscriptions declared one way: with declarative the ConfigMap tells the app, whose GET /dapr/subscribe then answers []', async () => {
    for (const mode of ['declarative', 'programmatic'] as const) {
      const { objects } = render('values-local.yaml', ['--set', `dapr.subscriptions=${mode}`])
      const config = objects.find((o) => o.kind === 'ConfigMap')!.data!
      expect(config.DAPR_SUBSCRIPTIONS).toBe(mode)
      expect(objects.filter((o) => o.kind === 'Subscription').length).toBe(mode === 'declarative' ? subscriptions(config.PUBSUB_NAME!).length : 0)
      const token = 'the-app-token-0123456789'
      const t = await testApp({ env: { DAPR_HTTP_PORT: '3500', APP_API_TOKEN: token, PUBSUB_NAME: config.PUBSUB_NAME!, DAPR_SUBSCRIPTIONS: config.DAPR_SUBSCRIPTIONS! } })
      try {
        const res = await t.call('GET', '/dapr/subscribe', { headers: { 'dapr-api-token': token } })
        expect(res.body).toEqual(mode === 'declarative' ? [] : subscriptions(config.PUBSUB_NAME!))
      } finally {
        await t.dispose()
      }
    }
    expect(() => render('values.yaml', ['--set', 'config.DAPR_SUBSCRIPTIONS=declarative'])).toThrow(/dapr.subscriptions/)
  })

  test('imagePullSecrets reach every pod that runs the app image (a private GHCR package), and are taken only as Kubernetes takes them', () => {
    for (const values of VALUES) {
      const { objects } = render(values, ['--set', 'imagePullSecrets[0].name=ghcr-pull'])
      const image = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].image
      const users = podsOf(objects).filter((p) => containersOf(p.spec).some((c) => c.image === image))
      expect(users.map((p) => p.owner.kind).sort()).toEqual(values === 'values-local.yaml' ? ['Deployment'] : ['Deployment', 'Job'])
      for (const pod of users) expect({ pod: pod.owner.metadata.name, pullSecrets: pod.spec.imagePullSecrets }).toEqual({ pod: pod.owner.metadata.name, pullSecrets: [{ name: 'ghcr-pull' }] })
    }
    expect(() => render('values.yaml', ['--set', 'imagePullSecrets[0]=ghcr-pull'])).toThrow(/imagePullSecrets/)
  })

  test("the Kafka version is one the pinned Strimzi operator supports (its kafka-versions.yaml at that release), on Strimzi's v1 API", () => {
    const chart = Bun.YAML.parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { annotations?: Record<string, string> }
    const pinned = chart.annotations?.['todo-chatbot/strimzi-operator-version']
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    const fixture = new URL(`./fixtures/strimzi-${pinned}-kafka-versions.yaml`, import.meta.url).pathname
    expect(existsSync(fixture)).toBe(true)
    const supported = (Bun.YAML.parse(readFileSync(fixture, 'utf8')) as Array<{ version: string; supported: boolean }>).filter((v) => v.supported).map((v) => v.version)
    expect(supported.length).toBeGreaterThan(0)
    for (const values of VALUES) {
      const { objects } = render(values, ['--set', 'kafka.strimzi.enabled=true'])
      const kafka = objects.find((o) => o.kind === 'Kafka')!
      expect(supported).toContain(kafka.spec.kafka.version)
      // kafka.strimzi.io/v1 first appears in Strimzi 0.49 and is the only API from 1.0.
      for (const o of objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'))) expect(o.apiVersion).toBe('kafka.strimzi.io/v1')
    }
  })

  test("every Dapr secretKeyRef resolves under the chart's RBAC: read by the Dapr operator, or by daprd as the pod's service account", () => {
    const sasl = ['--set', 'dapr.pubsub.authType=password', '--set', 'dapr.pubsub.saslUsername=todo', '--set', 'dapr.pubsub.saslPasswordSecret.name=kafka-sasl']
    const cases: Array<[string, string[]]> = [...VALUES.map((v): [string, string[]] => [v, []]), ['values.yaml', sasl], ['values.yaml', [...sasl, '--set', 'dapr.secretStore.useForApp=true']]]
    const problems: string[] = []
    let references = 0
    for (const [values, extra] of cases) {
      const { objects } = render(values, extra)
      const template = objects.find((o) => o.kind === 'Deployment')!.spec.template
      const appId = template.metadata.annotations['dapr.io/app-id']
      const account = template.spec.serviceAccountName
      type Rule = { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }
      const roles = objects
        .filter((o) => o.kind === 'RoleBinding' && (o.subjects as Array<{ kind: string; name: string }>).some((s) => s.kind === 'ServiceAccount' && s.name === account))
        .map((b) => objects.find((o) => o.kind === 'Role' && o.metadata.name === (b.roleRef as { name: string }).name))
      const gettable = (secret: string) => roles.some((role) => ((role?.rules ?? []) as Rule[]).some((r) => r.apiGroups.includes('') && r.resources.includes('secrets') && r.verbs.includes('get') && (!r.resourceNames || r.resourceNames.includes(secret))))
      const refs: Array<{ by: string; store: string; secret: string }> = []
      for (const component of objects.filter((o) => o.kind === 'Component' && o.apiVersion.startsWith('dapr.io/'))) {
        for (const m of component.spec.metadata ?? []) if (m.secretKeyRef) refs.push({ by: `Component/${component.metadata.name} ${m.name}`, store: component.auth?.secretStore ?? '', secret: m.secretKeyRef.name })
      }
      // The app's own reads through its sidecar (SECRET_STORE, SECRET_STORE_SECRET, SECRET_MAP).
      const env = Object.fromEntries((template.spec.containers[0].env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value]))
      if (env.SECRET_STORE) {
        refs.push({ by: 'the app (SECRET_STORE_SECRET)', store: env.SECRET_STORE, secret: env.SECRET_STORE_SECRET ?? 'todo-chatbot-secrets' })
        for (const entry of (env.SECRET_MAP ?? '').split(',').filter(Boolean)) refs.push({ by: `the app (SECRET_MAP ${entry})`, store: env.SECRET_STORE, secret: entry.split('=')[1]!.split(':')[0]! })
      }
      for (const ref of refs) {
        references++
        // With no store, or "kubernetes", Dapr's operator (1.14 to 1.18) reads the Secret with its own RBAC and hands daprd the value.
        if (ref.store === '' || ref.store === 'kubernetes') continue
        // Otherwise daprd reads it through that store: a Kubernetes secret store scoped to the app reads as the pod's service account.
        const store = objects.find((o) => o.kind === 'Component' && o.metadata.name === ref.store)
        if (store?.spec.type !== 'secretstores.kubernetes' || !store.scopes?.includes(appId)) problems.push(`${values} ${extra.join(' ')}: ${ref.by} reads through ${ref.store}, not a Kubernetes secret store of the app`)
        else if (!gettable(ref.secret)) problems.push(`${values} ${extra.join(' ')}: ${ref.by} needs get on Secret ${ref.secret} for ServiceAccount ${account}, which no Role bound to it allows`)
      }
    }
    expect(problems).toEqual([])
    expect(references).toBeGreaterThanOrEqual(4)
  })

  describe('observability', () => {
    const ON = ['--set', 'observability.serviceMonitor.enabled=true', '--set', 'observability.grafanaDashboard.enabled=true', '--set', 'observability.tracing.enabled=true']

    test('is off by default: no ServiceMonitor, dashboard or tracing Configuration, and no OTLP endpoint', () => {
      for (const values of VALUES) {
        const { objects } = render(values)
        expect(objects.filter((o) => ['ServiceMonitor', 'Configuration'].includes(o.kind) || o.metadata.name.endsWith('-dashboard'))).toEqual([])
        expect(objects.find((o) => o.kind === 'ConfigMap')!.data!.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined()
      }
    })

    test("the ServiceMonitor is valid for the Prometheus Operator and scrapes GET /metrics on the metrics port, which the NetworkPolicy opens to Prometheus only", async () => {
      const { objects } = render('values.yaml', [...ON, '--set', 'networkPolicy.enabled=true', '--set', 'ingress.enabled=true', '--set', 'observability.serviceMonitor.labels.release=kube-prometheus-stack'])
      const monitor = objects.find((o) => o.kind === 'ServiceMonitor')!
      expect(() => new ServiceMonitor(monitor as never).validate()).not.toThrow()
      expect(monitor.metadata).toMatchObject({ labels: { release: 'kube-prometheus-stack' } })
      const service = objects.find((o) => o.kind === 'Service')!
      expect(monitor.spec.selector.matchLabels).toEqual(service.spec.selector)
      const [endpoint] = monitor.spec.endpoints
      expect(endpoint).toMatchObject({ port: 'metrics', path: '/metrics' })
      // The Service's metrics port leads to the container's metrics port, which is the app's METRICS_PORT on the pod's address.
      expect(service.spec.ports).toContainEqual({ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' })
      const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec
      const container = pod.containers.find((c: { name: string }) => c.name === 'app')
      const config = objects.find((o) => o.kind === 'ConfigMap' && !o.metadata.name.endsWith('-dashboard'))!.data!
      const metricsPort = container.ports.find((p: { name: string }) => p.name === 'metrics').containerPort
      expect(loadEnv({ ...config, DATABASE_URL: 'postgres://u:p@db/todo' })).toMatchObject({ metricsPort, metricsHost: '0.0.0.0' })
      expect(metricsPort).not.toBe(container.ports.find((p: { name: string }) => p.name === 'http').containerPort)
      const t = await testApp()
      try {
        const res = await t.scrape()
        expect(res.status).toBe(200)
        expect(res.text).toContain('# TYPE todo_http_requests_total counter')
      } finally {
        await t.dispose()
      }
      const policy = objects.find((o) => o.kind === 'NetworkPolicy')!
      expect(policy.spec.ingress).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      })
      // The ingress controller reaches the app's port and nothing else.
      expect(policy.spec.ingress).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      })
    })

    test('GET /metrics is never behind the Ingress or the HTTPRoute: they route only the http port, where the app answers 404 for /metrics', async () => {
      for (const extra of [[], ON]) {
        const ingress = render('values.yaml', ['--set', 'ingress.enabled=true', ...extra]).objects.find((o) => o.kind === 'Ingress')!
        const backends = ingress.spec.rules.flatMap((r: { http: { paths: Array<{ path: string; backend: { service: { port: { name: string } } } }> } }) => r.http.paths)
        expect(backends.map((b: { backend: { service: { port: { name: string } } } }) => b.backend.service.port.name)).toEqual(['http'])
        const { objects } = render('values-production.yaml', extra)
        const service = objects.find((o) => o.kind === 'Service')!
        const route = objects.find((o) => o.kind === 'HTTPRoute')!
        const routed = route.spec.rules.flatMap((r: { backendRefs: Array<{ name: string; port: number }> }) => r.backendRefs)
        expect(routed).toEqual([{ name: service.metadata.name, port: service.spec.ports.find((p: { name: string }) => p.name === 'http').port }])
        expect(service.spec.ports.find((p: { name: string }) => p.name === 'http').targetPort).toBe('http')
        // Without a ServiceMonitor the Service has no metrics port at all.
        expect(service.spec.ports.map((p: { name: string }) => p.name)).toEqual(extra.length ? ['http', 'metrics'] : ['http'])
      }
      const t = await testApp()
      try {
        for (const path of ['/metrics', '/metrics/']) expect((await t.call('GET', path)).status).toBe(404)
      } finally {
        await t.dispose()
      }
    })

    test("tracing through values: the app's OTLP settings, and a Dapr Configuration the pod names", () => {
      const { objects } = render('values.yaml', [...ON, '--set', 'observability.tracing.samplingRate=0.25'])
      const config = objects.find((o) => o.kind === 'ConfigMap')!.data!
      expect(config).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318', OTEL_TRACES_SAMPLER_ARG: '0.25' })
      expect(loadEnv({ ...config, DATABASE_URL: 'postgres://u:p@db/todo' })).toMatchObject({ otlpEndpoint: 'http://otel-collector.observability:4318', traceSampleRatio: 0.25 })
      const configuration = objects.find((o) => o.kind === 'Configuration')!
      expect(configuration.spec.tracing).toEqual({ samplingRate: '0.25', otel: { endpointAddress: 'otel-collector.observability:4318', protocol: 'http', isSecure: false } })
      const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template
      expect(pod.metadata.annotations['dapr.io/config']).toBe(configuration.metadata.name)
      // A bad sampling rate stops the install.
      expect(() => render('values.yaml', [...ON, '--set', 'observability.tracing.samplingRate=2'])).toThrow()
    })

    test('the Grafana dashboard covers requests, latency, outbox, consumers and reminder lateness, with metrics the app exposes', async () => {
      const { objects } = render('values.yaml', ON)
      const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard'))!
      expect((map.metadata as { labels?: Record<string, string> }).labels).toMatchObject({ grafana_dashboard: '1' })
      const dashboard = JSON.parse(map.data!['todo-chatbot.json']!) as { uid: string; panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }> }
      expect(dashboard.uid).toBe('todo-chatbot')
      const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr)
      const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(todo_[a-z_]+)\b/g)].map((m) => m[1]!)))
      for (const needed of ['todo_http_requests_total', 'todo_http_request_duration_seconds_bucket', 'todo_outbox_pending_events', 'todo_outbox_oldest_pending_age_seconds', 'todo_event_deliveries_total', 'todo_reminder_lateness_seconds_bucket']) {
        expect(used).toContain(needed)
      }
      // Every series the dashboard queries is one the app exposes (a histogram's _bucket, _sum and _count included).
      const t = await testApp()
      try {
        const text = (await t.scrape()).text
        const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]))
        const exposed = (name: string) => {
          if (types.has(name)) return true
          const base = name.replace(/_(bucket|sum|count)$/, '')
          return base !== name && types.get(base) === 'histogram'
        }
        expect([...used].filter((name) => !exposed(name))).toEqual([])
      } finally {
        await t.dispose()
      }
    })
  })
})
