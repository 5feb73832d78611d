/**
 * Prisma CLI configuration for this machine-independent setup.
 *
 * `engine: 'js'` runs Prisma's WebAssembly schema engine through the pg driver
 * adapter, so `migrate dev`, `migrate deploy`, `db push` (Redwood's test reset)
 * and `generate` need no native engine download. It must live in api/ too:
 * `yarn rw build` runs `prisma generate` with api/ as working directory.
 *
 * The adapter gets discrete connection fields, not a connection string: the
 * shadow database of `migrate dev` is derived by overriding `database`, which a
 * connection string would silently win over.
 */
import path from 'node:path'

import { PrismaPg } from '@prisma/adapter-pg'
import { defineConfig } from 'prisma/config'

function connectionFields() {
  const raw = process.env.DATABASE_URL
  if (!raw) {
    throw new Error('DATABASE_URL is not set: copy .env.example to .env or start with `yarn db start`')
  }
  const url = new URL(raw)
  const sslmode = url.searchParams.get('sslmode')
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' } : undefined,
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg(connectionFields()),
  schema: path.join(__dirname, 'db', 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'db', 'migrations') },
})
