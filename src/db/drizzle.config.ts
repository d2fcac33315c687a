// drizzle-kit settings: `npm run db:generate` writes SQL migrations from the schema into migrations/.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
})
