// The Go-built tools the chart, deploy and runtime tests run (helm, kubeconform), and reading what helm renders.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The tool's path: `$env` if set, else on PATH, else where `go install` puts it; undefined when none exists. */
export const findTool = (name: string, env: string): string | undefined =>
  [process.env[env], Bun.which(name), join(homedir(), 'go', 'bin', name)].find((p): p is string => Boolean(p && existsSync(p)))

/** helm and kubeconform; under CI a missing one is a failure, elsewhere `what` is said not to run. */
export function chartTools(what: string): { helm: string | undefined; kubeconform: string | undefined } {
  const helm = findTool('helm', 'HELM_BIN')
  const kubeconform = findTool('kubeconform', 'KUBECONFORM_BIN')
  if (!helm || !kubeconform) {
    if (process.env.CI) throw new Error(`CI must run the ${what}, but helm or kubeconform is missing (.ci/run installs them)`)
    console.warn(`${what} not run: helm and kubeconform are not installed (go install helm.sh/helm/v3/cmd/helm@v3.21.0, github.com/yannh/kubeconform/cmd/kubeconform)`)
  }
  return { helm, kubeconform }
}

/** The objects of a multi-document manifest (`helm template` output), comments and empty documents left out. */
export function parseManifests<T>(text: string): T[] {
  return text
    .split(/^---\s*$/m)
    .map((doc) => doc.trim())
    .filter((doc) => doc && !/^(#.*\n?)*$/.test(doc))
    .map((doc) => Bun.YAML.parse(doc) as T)
    .filter(Boolean)
}
