export const schema = gql`
  "The stalled-delivery alarm: the same on every api instance (it is read from the database)."
  type DeliveryAlarm {
    "Either condition holds."
    active: Boolean!
    "Recipients are waiting for reports and no callback has been stored for ALARM_STALL_MINUTES."
    stalled: Boolean!
    "Callbacks refused for authentication exceed ALARM_REFUSED_SHARE of all callbacks in that window."
    refusedTooMany: Boolean!
    "What is wrong, in a sentence or two (null when all is well)."
    summary: String
    "Likely causes, from the refused-callback diagnostics."
    causes: [String!]!
    "Recipients waiting for a delivery report."
    inFlight: Int!
    "When the newest callback was stored."
    lastCallbackAt: DateTime
    "Refused callbacks' share of all callbacks in the window (null: no callback)."
    refusedShare: Float
    "How often a screen should ask again."
    checkAgainSeconds: Int!
  }

  type Query {
    "The stalled-delivery alarm, for the banner staff see on every page."
    deliveryAlarm: DeliveryAlarm! @requireAuth
  }
`
