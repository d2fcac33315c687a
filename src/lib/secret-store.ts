// Settings read from a Dapr secret store at start (GET /v1.0/secrets/<store>/<name>), beside the environment:
// an explicit environment value wins; a missing or unreadable secret stops the start naming the setting, never the value.
import { ConfigError, type SecretSetting, type SecretStoreConfig } from '../env'
import { sidecarClient } from './sidecar'

type Source = Record<string, string | undefined>

/** Waits until the sidecar's components are ready: /v1.0/healthz/outbound, never /v1.0/healthz (that one waits for the app). */
export async function waitForSidecar(config: SecretStoreConfig): Promise<void> {
  const deadline = Date.now() + config.timeoutMs
  const sidecar = sidecarClient(config)
  const path = '/v1.0/healthz/outbound'
  for (;;) {
    const ok = await sidecar.call(path, { timeoutMs: 2000 }).then((r) => r.status === 204 || r.ok, () => false)
    if (ok) return
    if (Date.now() > deadline) throw new ConfigError('SECRET_STORE', `the Dapr sidecar was not ready after ${config.timeoutMs} ms (${sidecar.baseUrl}${path})`)
    await Bun.sleep(250)
  }
}

/** Reads `settings` from the store; one request per secret name. */
export async function readSecrets(config: SecretStoreConfig, settings: SecretSetting[]): Promise<Partial<Record<SecretSetting, string>>> {
  const byName = new Map<string, SecretSetting[]>()
  for (const s of settings) byName.set(config.mapping[s].name, [...(byName.get(config.mapping[s].name) ?? []), s])
  const out: Partial<Record<SecretSetting, string>> = {}
  const sidecar = sidecarClient(config)
  for (const [name, wanted] of byName) {
    let res: Response
    try {
      res = await sidecar.call(`/v1.0/secrets/${encodeURIComponent(config.store)}/${encodeURIComponent(name)}`)
    } catch {
      throw new ConfigError(wanted[0]!, `could not reach the Dapr secret store "${config.store}"`)
    }
    if (res.status !== 200) {
      const why = res.status === 403 ? 'access denied by the store\'s secret scoping' : res.status === 401 ? `there is no secret store "${config.store}"` : `secret "${name}" could not be read (status ${res.status})`
      throw new ConfigError(wanted[0]!, `could not be read from the Dapr secret store: ${why}`)
    }
    const values = (await res.json()) as Record<string, string>
    for (const setting of wanted) {
      const value = values[config.mapping[setting].key]
      if (typeof value === 'string' && value !== '') out[setting] = value
    }
  }
  return out
}

/**
 * The environment completed from the store: settings the environment does not set are read from it.
 * `required` must end up with a value, from one or the other.
 */
export async function withSecretStore(source: Source, config: SecretStoreConfig | undefined, required: SecretSetting[] = []): Promise<Source> {
  if (!config) return source
  const missing = (Object.keys(config.mapping) as SecretSetting[]).filter((s) => !source[s]?.trim())
  if (missing.length === 0) return source
  await waitForSidecar(config)
  const found = await readSecrets(config, missing)
  for (const setting of required) {
    if (!source[setting]?.trim() && !found[setting]) {
      throw new ConfigError(setting, `is not in the environment, nor under key "${config.mapping[setting].key}" of secret "${config.mapping[setting].name}" in the store "${config.store}"`)
    }
  }
  return { ...source, ...found }
}
