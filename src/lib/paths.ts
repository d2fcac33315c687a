// Where the app's files are: the checkout, or APP_ROOT (the image sets it, since a bundled server no longer sits in src/).
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APP_ROOT = process.env.APP_ROOT || fileURLToPath(new URL('../..', import.meta.url))

/** A path under the app's root, e.g. `appPath('migrations')`. */
export const appPath = (...parts: string[]) => join(APP_ROOT, ...parts)
