/**
 * Development seed: a demo admin user, only when asked (`--demo-user`, which
 * `yarn start` passes), only on a database on this machine, never with
 * NODE_ENV=production, and only while the desk has no user at all. Prisma's
 * seed hook (`yarn rw exec seed` after `migrate reset`/`migrate dev`) does
 * not ask, so it creates nothing.
 */
import { isLocalDatabaseUrl } from 'api/src/lib/localDatabase'
import { hasAnyUser, upsertStaffUser } from 'api/src/services/staff/staff'

export const DEMO_USER = {
  email: 'demo@delivery-desk.local',
  password: 'demo-password-1',
  name: 'Demo Staff',
  role: 'admin',
}

export default async ({ args }: { args?: Record<string, unknown> } = {}) => {
  if (!args?.['demo-user'] && !args?.demoUser) {
    console.log('seed: nothing to do (`yarn rw exec seed --demo-user` creates the demo user on a local database)')
    return
  }
  if (process.env.NODE_ENV === 'production') {
    console.log('seed: NODE_ENV=production, not creating a demo user')
    return
  }
  if (!isLocalDatabaseUrl(process.env.DATABASE_URL)) {
    console.log('seed: DATABASE_URL is not on this machine, not creating a demo user')
    return
  }
  if (await hasAnyUser()) {
    console.log('seed: staff users exist already; nothing to do')
    return
  }
  await upsertStaffUser(DEMO_USER)
  console.log(`seed: log in as ${DEMO_USER.email} / ${DEMO_USER.password}`)
}
