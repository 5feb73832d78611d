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

  "What re-processing one stored callback did."
  type ReprocessResult {
    callbackEventId: Int!
    "The callback's processing state afterwards."
    processingState: ProcessingState!
    "Reports stored now for the first time."
    stored: Int!
    "Reports that were already stored (they stay one row)."
    duplicates: Int!
    "Stored reports that found their message only now."
    attached: Int!
    "Reports that still match no message."
    unmatched: Int!
    error: String
  }

  type ReprocessSummary {
    "Callbacks re-processed (every UNMATCHED or FAILED one)."
    total: Int!
    "Now PROCESSED."
    processed: Int!
    "Still UNMATCHED (no message yet)."
    unmatched: Int!
    "Still FAILED (e.g. the stored body is not a valid callback)."
    failed: Int!
    results: [ReprocessResult!]!
  }

  type Mutation {
    "Processes a stored UNMATCHED or FAILED callback again from its raw body. Idempotent."
    reprocessCallback(id: Int!): ReprocessResult! @requireAuth
    "Processes every stored UNMATCHED or FAILED callback again, oldest first. Idempotent."
    reprocessCallbacks: ReprocessSummary! @requireAuth
  }
`
