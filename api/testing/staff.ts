import type { StaffRole } from 'src/lib/roles'

/**
 * Signs a test in as a staff member with this role (context.currentUser, as
 * getCurrentUser builds it). Without an id, what the service stores as
 * "created by" stays null, as for a user the test database does not have.
 */
export function signInAs(role: StaffRole, user: { id?: number; email?: string } = {}) {
  mockCurrentUser({ email: `${role}@example.com`, ...user, roles: [role] })
}

/** Signs a test out: no currentUser, as for a request without a session. */
export function signOut() {
  ;(mockCurrentUser as (user: unknown) => void)(null)
}
