/**
 * Adds a staff member (or resets their password, and changes their role when --role is given):
 *   yarn rw exec createUser --role admin --email ana@example.com --password 'long-passphrase' [--name Ana]
 * The first user of a desk is an admin; later ones are viewers unless --role says otherwise.
 */
import { upsertStaffUser } from 'api/src/services/staff/staff'

export default async ({ args }: { args: Record<string, string | undefined> }) => {
  const { email, password, name, role } = args
  if (!email || !password) {
    console.error(
      "Usage: yarn rw exec createUser --role admin|sender|viewer --email ana@example.com --password 'at least 10 characters' [--name Ana]"
    )
    process.exit(1)
  }
  try {
    const user = await upsertStaffUser({
      email: String(email),
      password: String(password),
      name: name ? String(name) : undefined,
      role: role ? String(role) : undefined,
    })
    console.log(`Staff user ${user.email} (id ${user.id}, ${user.role}) can now log in.`)
  } catch (error) {
    console.error(`Could not create the user: ${(error as Error).message}`)
    process.exit(1)
  }
}
