// The GitHub Actions workflows, checked by actionlint (installed from the Go module proxy; CI must run it).
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { need, requires } from './helpers/requires'

const WORKFLOWS = new URL('../.github/workflows', import.meta.url).pathname

requires('the workflow lint', need.actionlint).test('actionlint finds nothing in ci.yaml, cd-staging.yaml, cd-production.yaml and e2e-kind.yaml', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yaml')).sort()
  expect(files).toEqual(['cd-production.yaml', 'cd-staging.yaml', 'ci.yaml', 'e2e-kind.yaml'])
  const run = Bun.spawnSync([need.actionlint.found!, ...files.map((f) => join(WORKFLOWS, f))], { stdout: 'pipe', stderr: 'pipe' })
  expect(run.stdout.toString() + run.stderr.toString()).toBe('')
  expect(run.exitCode).toBe(0)
})

test('every action is pinned by commit SHA, with its release in a comment: a tag can move or vanish', () => {
  const refs = readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => [...readFileSync(join(WORKFLOWS, f), 'utf8').matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({ file: f, ref: m[1]!, comment: m[2]!.trim() })))
  expect(refs.length).toBeGreaterThan(10)
  const loose = refs.filter(({ ref, comment }) => {
    if (ref.startsWith('./')) return false
    if (ref.startsWith('docker://')) return !/@sha256:[0-9a-f]{64}$/.test(ref)
    return !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) || !/^# v\d+(\.\d+)*\S*$/.test(comment)
  })
  expect(loose).toEqual([])
})

test('production deploys only the image CI built and pushed for the tag, never racing the build', () => {
  interface Workflow { on: { push?: { tags?: string[] }; workflow_run?: { workflows: string[]; types: string[] } }; jobs: Record<string, { if?: string; steps: Array<{ id?: string; uses?: string; with?: Record<string, string>; run?: string; env?: Record<string, string> }> }> }
  const read = (f: string) => Bun.YAML.parse(readFileSync(join(WORKFLOWS, f), 'utf8')) as Workflow
  const ci = read('ci.yaml')
  const production = read('cd-production.yaml')
  // CI runs on v* tags and pushes the image tagged sha-<commit> on every push.
  expect(ci.on.push!.tags).toEqual(['v*'])
  const meta = ci.jobs.image!.steps.find((s) => s.uses?.startsWith('docker/metadata-action@'))!
  expect(meta.with!.tags).toContain('type=sha,format=long')
  expect(ci.jobs.image!.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'))!.with!.push).toBe("${{ github.event_name != 'pull_request' }}")
  // Production starts when CI has finished (not on the tag push itself), only on its success for a tag.
  expect(Object.keys(production.on)).toEqual(['workflow_run'])
  expect(production.on.workflow_run).toMatchObject({ workflows: ['ci'], types: ['completed'] })
  const deploy = production.jobs.deploy!
  for (const condition of ["github.event.workflow_run.conclusion == 'success'", "github.event.workflow_run.event == 'push'", "startsWith(github.event.workflow_run.head_branch, 'v')"]) expect(deploy.if).toContain(condition)
  // It checks out and deploys that run's commit: the image tag CI's metadata step gave it.
  expect(deploy.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with!.ref).toBe('${{ github.event.workflow_run.head_sha }}')
  const version = deploy.steps.find((s) => s.id === 'version')!
  expect(version.env!.HEAD_SHA).toBe('${{ github.event.workflow_run.head_sha }}')
  expect(version.run).toBe('echo "tag=sha-${HEAD_SHA}" >> "$GITHUB_OUTPUT"')
  const helm = deploy.steps.find((s) => s.run?.includes('helm upgrade --install'))!
  expect(helm.env!.IMAGE_TAG).toBe('${{ steps.version.outputs.tag }}')
  expect(helm.run).toContain('image.tag="$IMAGE_TAG"')
})

test('the deployments hold no long-lived cluster credential (Workload Identity Federation, test/deploy.test.ts), and production waits for approval', () => {
  const production = readFileSync(join(WORKFLOWS, 'cd-production.yaml'), 'utf8')
  const staging = readFileSync(join(WORKFLOWS, 'cd-staging.yaml'), 'utf8')
  expect(production).toContain('environment: production')
  expect(staging).toContain('environment: staging')
  for (const text of [production, staging]) {
    expect(text).not.toContain('KUBECONFIG')
    expect(text).toContain('id-token: write')
    expect(text).toContain('rollout status')
    expect(text).toContain('/readyz')
    expect(text).toContain('helm rollback')
  }
})
