// The GitHub Actions workflows, checked by actionlint (installed from the Go module proxy; CI must run it).
import { expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const WORKFLOWS = new URL('../.github/workflows', import.meta.url).pathname
const actionlint = [process.env.ACTIONLINT_BIN, Bun.which('actionlint'), join(homedir(), 'go', 'bin', 'actionlint')].find((p): p is string => Boolean(p && existsSync(p)))
if (!actionlint) {
  if (process.env.CI) throw new Error('CI must lint the workflows, but actionlint is missing (.ci/run installs it)')
  console.warn('workflow lint not run: actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint)')
}

test.if(Boolean(actionlint))('actionlint finds nothing in ci.yaml, cd-staging.yaml and cd-production.yaml', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yaml')).sort()
  expect(files).toEqual(['cd-production.yaml', 'cd-staging.yaml', 'ci.yaml'])
  const run = Bun.spawnSync([actionlint!, ...files.map((f) => join(WORKFLOWS, f))], { stdout: 'pipe', stderr: 'pipe' })
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

test('secrets reach the deployments only from GitHub secrets, and production waits for approval', () => {
  const production = readFileSync(join(WORKFLOWS, 'cd-production.yaml'), 'utf8')
  const staging = readFileSync(join(WORKFLOWS, 'cd-staging.yaml'), 'utf8')
  expect(production).toContain('environment: production')
  expect(production).toContain('${{ secrets.PRODUCTION_KUBECONFIG }}')
  expect(staging).toContain('${{ secrets.STAGING_KUBECONFIG }}')
  for (const text of [production, staging]) {
    expect(text).toContain('rollout status')
    expect(text).toContain('/readyz')
    expect(text).toContain('helm rollback')
  }
})
