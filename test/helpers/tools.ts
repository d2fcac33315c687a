// Finding the tools the chart, deploy, metrics, workflow and runtime tests run, and reading what helm renders.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The tool's path: `$env` if set, else on PATH, else where `go install` puts it; undefined when none exists. */
export const findTool = (name: string, env: string): string | undefined =>
  [process.env[env], Bun.which(name), join(homedir(), 'go', 'bin', name)].find((p): p is string => Boolean(p && existsSync(p)))

/** The objects of a multi-document manifest (`helm template` output), comments and empty documents left out. */
export function parseManifests<T>(text: string): T[] {
  return text
    .split(/^---\s*$/m)
    .map((doc) => doc.trim())
    .filter((doc) => doc && !/^(#.*\n?)*$/.test(doc))
    .map((doc) => Bun.YAML.parse(doc) as T)
    .filter(Boolean)
}
