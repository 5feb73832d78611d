import { useAuth } from 'src/auth'

/** What the api says the signed-in user may do (currentUser.permissions, from api/src/lib/roles.ts). */
export type Permission = 'read' | 'send' | 'administer'

/**
 * Whether to show an action. Only for showing: the api refuses what a role
 * may not do whatever the browser shows.
 */
export function useCan() {
  const { currentUser } = useAuth()
  const permissions = (currentUser as { permissions?: string[] } | null)?.permissions ?? []
  return (permission: Permission) => permissions.includes(permission)
}
