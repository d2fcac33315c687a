// drizzle-kit settings: `npm run db:generate` writes SQL migrations from the schema into migrations/.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  // Each feature keeps its tables in its own schema.ts.
  schema: ['./src/features/*/schema.ts', './src/events/schema.ts', './src/chat/schema.ts'],
  out: './migrations',
})
