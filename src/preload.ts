// Loaded before anything else wherever Bun runs from the repository (bunfig.toml `preload`): the app, its tests, the
// benches. It fixes postgres.js as Bun loads it (src/db/postgres-fix.ts); the image's bundle has the fix built in.
import { plugin } from 'bun'
import { postgresFix } from './db/postgres-fix'

plugin(postgresFix())
