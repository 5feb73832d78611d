export const schema = gql`
  "What checking a message's recipients with Sinch found."
  type ReconcileResult {
    messageId: String!
    "Recipients asked about (the message's recipients with no final status)."
    checked: Int!
    "Recipients whose status changed."
    changed: Int!
    "Recipients that ended Unknown: no final report after the last check."
    gaveUp: Int!
    "Recipients whose check failed (Sinch unreachable or erroring); tried again later."
    failed: Int!
    errors: [String!]!
  }

  type Mutation {
    "Asks Sinch now for the delivery reports of this message's recipients with no final status."
    reconcileMessage(id: String!): ReconcileResult! @requireAuth(roles: ["admin", "sender"])
  }
`
