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
    "The body as received: admins only (null for other roles)."
    rawBody: String
    "Admins only (null for other roles)."
    headers: JSON
    secretId: String
    batchId: String
    reportsStored: Int!
    "Reports for unknown recipients beyond SINCH_CALLBACK_MAX_UNMATCHED_REPORTS, counted but not stored."
    reportsNotStored: Int!
    "The delivery reports it carried (the first few), with the message each is about; null for other kinds."
    reports: CallbackReports
  }

  "A delivery report as a callback carried it."
  type CallbackReport {
    "E.164; empty when a WhatsApp report named no number and the desk has no recipient for it."
    phoneNumber: String!
    status: String!
    code: Int
    "The message it is about, when the desk has it."
    messageId: String
  }

  type CallbackReports {
    "How many delivery reports the callback carried."
    total: Int!
    "The first three."
    items: [CallbackReport!]!
  }

  type CallbackEventPage {
    items: [CallbackEvent!]!
    nextCursor: Int
  }

  "A callback refused for authentication (401): why, and how the request was seen."
  type CallbackRejection {
    id: Int!
    receivedAt: DateTime!
    requestId: String
    "missing_header, unsupported_algorithm, malformed_header, timestamp_out_of_window, signature_mismatch, no_secret_configured, nonce_replay, token_missing, token_mismatch, basic_missing, basic_mismatch"
    reason: String!
    reasonText: String!
    "skewSeconds, toleranceSeconds, header, algorithm, triedSecretIds, triedSecrets (id and fingerprint)… never a secret."
    details: JSON!
    method: String!
    "Path and query as requested, any token masked."
    url: String!
    host: String
    forwardedProto: String
    forwardedHost: String
    remoteAddress: String
    contentLength: Int
    bodyExcerpt: String!
  }

  type CallbackRejectionPage {
    items: [CallbackRejection!]!
    nextCursor: Int
  }

  enum TestCallbackOutcome {
    "2xx: the desk stored it."
    ACCEPTED
    "401: refused for authentication (see rejection)."
    REFUSED
    "Any other HTTP answer."
    FAILED
    "No HTTP answer (connection refused, DNS, TLS, timeout)."
    UNREACHABLE
  }

  "What sending a signed test callback to SINCH_CALLBACK_URL did, end to end."
  type TestCallbackResult {
    outcome: TestCallbackOutcome!
    "Where it was posted (any token masked)."
    url: String!
    "hmac, token, basic or none, as SINCH_CALLBACK_AUTH says."
    auth: String!
    "The secret it was signed with (id or fingerprint), for hmac."
    secretId: String
    batchId: String!
    recipient: String!
    "True when the report names an existing recipient (a repeat of its latest report, so nothing changes)."
    existingRecipient: Boolean!
    httpStatus: Int
    responseBody: String
    "Why it was unreachable."
    error: String
    durationMs: Int!
    "The callback as the desk recorded it, found by the request's nonce."
    callbackEvent: CallbackEvent
    rejection: CallbackRejection
    "The outcome in one sentence."
    summary: String!
  }

  type DeliveryCode {
    code: Int!
    name: String!
    meaning: String!
  }

  "What a status says about the message: for colour and grouping."
  enum DeliveryOutcome {
    PENDING
    IN_FLIGHT
    DELIVERED
    FAILED
    "Final, but nobody knows whether it arrived (Unknown)."
    UNDETERMINED
  }

  "A recipient status the desk knows: Pending (ours), Sinch's SMS statuses and the Conversation API's."
  type DeliveryStatusInfo {
    status: String!
    "The status as staff read it: the Conversation API's QUEUED_ON_CHANNEL reads Queued on channel."
    label: String!
    "SMS or WHATSAPP; null for Pending, which applies to both."
    channel: Channel
    meaning: String!
    "Nothing replaces it but a later final status."
    isFinal: Boolean!
    "Counts as a failed delivery (shown as failed, resent by Resend to failed)."
    isFailure: Boolean!
    isDelivered: Boolean!
    outcome: DeliveryOutcome!
  }

  type Query {
    "Newest first, take 1 to 100 (default 25)."
    callbackEvents(cursor: Int, take: Int, verdict: CallbackVerdict): CallbackEventPage! @requireAuth
    "Callbacks refused for authentication (401), newest first (kept 7 days, at most 5,000), take 1 to 100 (default 25)."
    callbackRejections(cursor: Int, take: Int): CallbackRejectionPage! @requireAuth(roles: ["admin"])
    "Sinch's status codes with their meanings."
    deliveryCodes: [DeliveryCode!]! @requireAuth
    "Every recipient status, Pending first, then SMS and WhatsApp in lifecycle order."
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
    reprocessCallback(id: Int!): ReprocessResult! @requireAuth(roles: ["admin"])
    "Processes every stored UNMATCHED or FAILED callback again, oldest first. Idempotent."
    reprocessCallbacks: ReprocessSummary! @requireAuth(roles: ["admin"])
    "Signs a realistic delivery report like Sinch and posts it over HTTP to SINCH_CALLBACK_URL (through any tunnel), then reports what the desk answered and recorded."
    sendTestCallback: TestCallbackResult! @requireAuth(roles: ["admin"])
  }
`
