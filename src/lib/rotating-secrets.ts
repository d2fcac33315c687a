// Secrets a running app may replace without a restart (ROTATABLE_SECRETS): kept here, read at each use, so the
// configuration itself stays as env.ts read it at start.
import type { SecretSetting } from '../env'

export class RotatingSecrets {
  private readonly values: Map<SecretSetting, string | undefined>

  /** Starts from the values the environment (or the secret store) gave at start. */
  constructor(initial: Partial<Record<SecretSetting, string | undefined>>) {
    this.values = new Map(Object.entries(initial) as Array<[SecretSetting, string | undefined]>)
  }

  /** The current value. */
  get(setting: SecretSetting): string | undefined {
    return this.values.get(setting)
  }

  /** Puts in a new value; true when it differs from the one in use. */
  replace(setting: SecretSetting, value: string): boolean {
    if (this.values.get(setting) === value) return false
    this.values.set(setting, value)
    return true
  }
}
