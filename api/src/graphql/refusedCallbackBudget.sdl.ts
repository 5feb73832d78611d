export const schema = gql`
  "Refused callbacks from one client address that were counted but not recorded (over its hourly budget)."
  type RefusedCallbacksFromAddress {
    clientAddress: String!
    "Refused (401) in the period, recorded or not."
    refused: Int!
    "Of those, how many have a row on the refused list."
    recorded: Int!
    notRecorded: Int!
    "The start of the latest hour with a refusal from this address."
    lastHour: DateTime!
  }

  type RefusedCallbacksNotRecorded {
    "Rows kept per client address and hour (CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR)."
    perAddressPerHour: Int!
    since: DateTime!
    totalNotRecorded: Int!
    "The addresses with refusals not recorded, most first (at most 20)."
    addresses: [RefusedCallbacksFromAddress!]!
  }

  type Query {
    refusedCallbacksNotRecorded: RefusedCallbacksNotRecorded! @requireAuth(roles: ["admin"])
  }
`
