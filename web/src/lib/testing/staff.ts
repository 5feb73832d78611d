type Role = 'admin' | 'sender' | 'viewer'

/** What each role may do, as the api's currentUser says (api/src/lib/roles.ts). */
const PERMISSIONS: Record<Role, ('read' | 'send' | 'administer')[]> = {
  admin: ['read', 'send', 'administer'],
  sender: ['read', 'send'],
  viewer: ['read'],
}

/** Renders the next component as signed in with this role. */
export function signInAs(role: Role) {
  mockCurrentUser({ id: 1, email: `${role}@example.com`, name: null, roles: [role], permissions: PERMISSIONS[role] })
}
