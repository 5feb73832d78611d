/**
 * Adds a staff member (or resets their password):
 *   yarn rw exec createUser --email ana@example.com --password 'long-passphrase' [--name Ana]
 */
import { upsertStaffUser } from 'api/src/services/staff/staff'

export default async ({ args }: { args: Record<string, string | undefined> }) => {
  const { email, password, name } = args
  if (!email || !password) {
    console.error(
      "Usage: yarn rw exec createUser --email ana@example.com --password 'at least 10 characters' [--name Ana]"
    )
    process.exit(1)
  }
  try {
    const user = await upsertStaffUser({
      email: String(email),
      password: String(password),
      name: name ? String(name) : undefined,
    })
    console.log(`Staff user ${user.email} (id ${user.id}) can now log in.`)
  } catch (error) {
    console.error(`Could not create the user: ${(error as Error).message}`)
    process.exit(1)
  }
}
