export const schema = gql`
  enum CallbackVerdict {
    ACCEPTED
    DUPLICATE
    REJECTED
    IGNORED
  }

  enum ProcessingState {
    PROCESSED
    UNMATCHED
    FAILED
    IGNORED
    REJECTED
  }

  "A callback as it reached /api/sinchCallbacks (after authentication)."
  type CallbackEvent {
    id: Int!
    receivedAt: DateTime!
    requestId: String
    kind: String!
    verdict: CallbackVerdict!
    processingState: ProcessingState!
    error: String
    rawBody: String!
    headers: JSON!
    secretId: String
    batchId: String
    reportsStored: Int!
  }

  type CallbackEventPage {
    items: [CallbackEvent!]!
    nextCursor: Int
  }

  type DeliveryCode {
    code: Int!
    name: String!
    meaning: String!
  }

  type DeliveryStatusInfo {
    status: String!
    meaning: String!
    isFinal: Boolean!
  }

  type Query {
    "Newest first."
    callbackEvents(cursor: Int, take: Int, verdict: CallbackVerdict): CallbackEventPage! @requireAuth
    "Sinch's status codes with their meanings."
    deliveryCodes: [DeliveryCode!]! @requireAuth
    deliveryStatuses: [DeliveryStatusInfo!]! @requireAuth
  }
`
