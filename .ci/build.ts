// `npm run build`: the server and the migration runner bundled into dist/ (what the image runs), with postgres.js
// fixed as it is bundled (src/db/postgres-fix.ts). The embedded database stays a package, loaded only without
// DATABASE_URL. Names are kept, so stack traces in the image's logs name functions.
import { rmSync } from 'node:fs'
import { postgresFix } from '../src/db/postgres-fix'

const fixed: string[] = []
rmSync('dist', { recursive: true, force: true })
const result = await Bun.build({
  entrypoints: ['src/index.ts', 'src/migrate.ts', 'src/reset-password.ts'],
  outdir: 'dist',
  target: 'bun',
  minify: { whitespace: true, syntax: true, identifiers: true, keepNames: true },
  external: ['@electric-sql/pglite', '@electric-sql/pglite/*'],
  plugins: [postgresFix((path) => fixed.push(path))],
})
if (!result.success) {
  for (const message of result.logs) console.error(message)
  process.exit(1)
}
if (fixed.length === 0) {
  console.error('build: postgres.js went into the bundle without its fix (src/db/postgres-fix.ts matched no module)')
  process.exit(1)
}
for (const output of result.outputs) console.log(`${output.path.replace(`${process.cwd()}/`, '')}  ${(output.size / 1024).toFixed(0)} KiB`)
console.log(`postgres.js fixed in ${fixed.length} module(s)`)
