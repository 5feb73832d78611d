export const schema = gql`
  "One staff action, as the audit log recorded it (append-only)."
  type AuditEvent {
    id: Int!
    at: DateTime!
    "The staff user who did it (null: the system, or an unknown account at a failed sign-in)."
    actorId: Int
    "The actor's email at the time."
    actorEmail: String
    "See auditActions."
    action: String!
    actionLabel: String!
    targetType: String
    targetId: String
    "Ids and counts; never message bodies or secrets."
    details: JSON!
    clientAddress: String
  }

  type AuditEventPage {
    items: [AuditEvent!]!
    "Pass as cursor for the next (older) page; null on the last page."
    nextCursor: Int
    "How many events match the filter."
    total: Int!
  }

  type AuditActionInfo {
    action: String!
    label: String!
  }

  type Query {
    "Newest first, take 1 to 100 (default 50); filter by actor, action and period [from, to)."
    auditEvents(cursor: Int, take: Int, actorId: Int, action: String, from: DateTime, to: DateTime): AuditEventPage!
      @requireAuth(roles: ["admin"])
    "Every action the audit log records, with its label."
    auditActions: [AuditActionInfo!]! @requireAuth(roles: ["admin"])
  }
`
