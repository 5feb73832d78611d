/**
 * Development seed (`yarn rw exec seed`, run by `yarn start`): a demo staff
 * user, only while the desk has no user at all and never in production.
 */
import { hasAnyUser, upsertStaffUser } from 'api/src/services/staff/staff'

export const DEMO_USER = { email: 'demo@delivery-desk.local', password: 'demo-password-1', name: 'Demo Staff' }

export default async () => {
  if (process.env.NODE_ENV === 'production') {
    console.log('seed: NODE_ENV=production, not creating a demo user')
    return
  }
  if (await hasAnyUser()) {
    console.log('seed: staff users exist already; nothing to do')
    return
  }
  await upsertStaffUser(DEMO_USER)
  console.log(`seed: log in as ${DEMO_USER.email} / ${DEMO_USER.password}`)
}
