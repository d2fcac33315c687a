// The README is run, not just read: its walkthrough against a fresh server, its commands and its settings table.
import { afterAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import pkg from '../package.json'
import { freshStorage, startServer } from './helpers/server'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

test('the curl walkthrough works exactly as written against a fresh start', async () => {
  const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme)?.[1]
  expect(block).toBeDefined()
  const storage = await freshStorage()
  cleanups.push(storage.dispose)
  const server = await startServer(storage.env)
  cleanups.push(() => void server.stop())
  // The README speaks of port 3000; this server took a free port. Nothing else changes.
  expect(block!.match(/http:\/\/localhost:\d+/g)!.every((u) => u === 'http://localhost:3000')).toBe(true)
  const script = block!.replaceAll('http://localhost:3000', server.url)
  const run = Bun.spawnSync(['bash', '-euo', 'pipefail', '-c', script], { stdout: 'pipe', stderr: 'pipe' })
  expect(run.stderr.toString()).toBe('')
  expect(run.exitCode).toBe(0)
  const out = run.stdout.toString()
  // The search prints the list, then completing prints the task.
  const [list, done] = out.split(/(?<=\})(?=\{)/)
  const page = JSON.parse(list!) as { items: Array<{ title: string; due_date: string; tags: string[] }>; total: number }
  expect(page.total).toBe(1)
  expect(page.items[0]).toMatchObject({ title: 'Call mum', due_date: '2026-12-24T17:00:00.000Z', tags: ['family'] })
  expect(JSON.parse(done!)).toMatchObject({ title: 'Call mum', status: 'completed' })
}, 60_000)

test('the two commands are the package scripts, and CI runs the same test command', () => {
  expect(readme).toContain('npm install && npm start')
  expect(readme).toContain('npm install && npm test')
  expect(pkg.scripts.start).toBe('bun src/index.ts')
  expect(pkg.scripts.test).toStartWith('bun test')
  expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toContain('npm test')
})

test('every setting the app reads is in the configuration table', () => {
  const source = readFileSync(new URL('../src/env.ts', import.meta.url), 'utf8')
  const read = [...source.matchAll(/\(source, '([A-Z_]+)'/g)].map((m) => m[1]!)
  read.push('DATABASE_URL')
  expect(read.length).toBeGreaterThan(8)
  for (const name of new Set(read)) expect(readme).toContain(`| \`${name}\` |`)
})

test('every npm script the README names exists', () => {
  for (const [, name] of readme.matchAll(/`npm run ([a-z:-]+)`/g)) expect(Object.keys(pkg.scripts)).toContain(name!)
})
