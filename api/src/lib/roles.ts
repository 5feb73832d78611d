/**
 * Staff roles, from least to most: viewer reads everything staff read;
 * sender also sends, resends, retries, checks with Sinch and adds opt-outs;
 * admin also manages users, removes opt-outs, manages WhatsApp templates,
 * re-processes callbacks and sees raw payloads and refused-callback
 * diagnostics. The SDL directives spell these lists out literally
 * (`@requireAuth(roles: ["admin", "sender"])`); services use the constants.
 */
export const STAFF_ROLES = ['admin', 'sender', 'viewer'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

/** Who may do what. */
export const ROLES_THAT = {
  read: ['admin', 'sender', 'viewer'],
  send: ['admin', 'sender'],
  administer: ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>

export type Permission = keyof typeof ROLES_THAT

/** What a role may do, for the web to show or hide actions (the api enforces them). */
export function permissionsOf(role: StaffRole): Permission[] {
  return (Object.keys(ROLES_THAT) as Permission[]).filter((p) => (ROLES_THAT[p] as readonly string[]).includes(role))
}

export const ROLE_DESCRIPTIONS: Record<StaffRole, string> = {
  admin:
    'Everything a sender does, plus users, opt-out removal, WhatsApp templates, callback re-processing and diagnostics, the audit log',
  sender: 'Everything a viewer does, plus sending, resending, retrying, checking with Sinch and adding opt-outs',
  viewer: 'Reads messages, statuses, the dashboard, the callback log, opt-outs and templates',
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value)
}
