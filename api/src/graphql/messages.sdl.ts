export const schema = gql`
  enum Channel {
    SMS
    WHATSAPP
  }

  enum SubmitState {
    PENDING
    SUBMITTED
    FAILED
  }

  enum ReportSource {
    PUSHED
    FETCHED
  }

  "Where a report's time comes from: Sinch's event time, a batch report's arrival, the receipt time that replaced a future time, or the receipt time of a report Sinch sent without one."
  enum ReportTimeSource {
    REPORTED
    BATCH_ARRIVAL
    CLAMPED
    RECEIVED
  }

  type StaffUser {
    id: Int!
    email: String!
    name: String
  }

  "How many recipients of a message are in one status."
  type StatusCount {
    status: String!
    count: Int!
  }

  "Overall progress of a message across its recipients."
  type MessageProgress {
    total: Int!
    "Recipients whose status is final (delivered or failed for good)."
    final: Int!
    delivered: Int!
    failed: Int!
    "Recipients with no final status yet (Pending, Queued, Dispatched...)."
    inFlight: Int!
    "Median time from submission to Delivered, in milliseconds."
    medianTimeToDeliverMs: Int
  }

  type Message {
    id: String!
    body: String!
    sender: String
    channel: Channel!
    sinchBatchId: String
    clientReference: String
    submitState: SubmitState!
    "Why Sinch did not accept the batch, when submitState is FAILED."
    submitError: String
    submitAttempts: Int!
    submittedAt: DateTime
    recipientCount: Int!
    "WhatsApp template sent, as sent (name, language, parameters keyed body[1]text...)."
    templateName: String
    templateLanguage: String
    templateParameters: JSON
    smsFallback: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
    createdBy: StaffUser
    "The latest batch summary report, when Sinch sent one without recipient lists."
    batchSummary: JSON
    "Recipients per status, in the status catalog's order (deliveryStatuses), whatever the counts."
    statusCounts: [StatusCount!]!
    progress: MessageProgress!
    """
    A page of recipients ordered by id (take 1 to 500, default 50); filter by status, by failure code (failed
    recipients with that Sinch code) or a part of the number (search: 3 to 100 characters, digits compared).
    """
    recipients(cursor: Int, take: Int, status: String, failureCode: Int, search: String): RecipientPage!
  }

  type RecipientPage {
    items: [MessageRecipient!]!
    "Pass as cursor for the next page; null on the last page."
    nextCursor: Int
    "How many recipients match the filter."
    total: Int!
  }

  type MessageRecipient {
    id: Int!
    messageId: String!
    "E.164, with the leading +."
    phoneNumber: String!
    status: String!
    statusMeaning: String!
    code: Int
    codeMeaning: String
    isFinal: Boolean!
    isFailure: Boolean!
    "Event time of the latest status (Sinch's at)."
    statusAt: DateTime
    "statusAt is approximate: a batch report's arrival, a clamped time, or our receipt time (no event time from Sinch)."
    statusAtApproximate: Boolean!
    operatorStatusAt: DateTime
    "Why the status is what it is, in words, when the desk decided it (e.g. Unknown after reconciliation gave up)."
    statusReason: String
    "How many times reconciliation asked Sinch about this recipient."
    reconcileAttempts: Int!
    lastReconcileAt: DateTime
    "From submission to Delivered, when delivered."
    timeToDeliverMs: Int
    updatedAt: DateTime!
    "Every status report for this recipient, in event order."
    timeline: [StatusUpdate!]!
  }

  type StatusUpdate {
    id: Int!
    status: String!
    statusMeaning: String!
    code: Int
    codeMeaning: String
    reason: String
    "When Sinch created the report."
    at: DateTime!
    "The operator's (SMSC) timestamp, when it sent one."
    operatorStatusAt: DateTime
    receivedAt: DateTime!
    "BATCH_ARRIVAL marks a report that came from a batch report."
    timeSource: ReportTimeSource!
    source: ReportSource!
    "The report as Sinch sent it: admins only (null for other roles)."
    rawPayload: JSON
  }

  type MessagePage {
    items: [Message!]!
    "Pass as cursor for the next (older) page; null on the last page."
    nextCursor: String
  }

  "How long a search text may be (every list's search argument)."
  type SearchLimits {
    minLength: Int!
    maxLength: Int!
  }

  type Query {
    """
    Newest first, take 1 to 100 (default 25). status: messages with at least one recipient in that status;
    sentBy: created by that staff user; channel; failed: Sinch refused the message or a recipient is in a failure
    status; failureCode: a recipient failed with that Sinch code; search (3 to 100 characters): a part of the body
    or the client reference, the message id, or, for a text that reads as a number (digits, spaces, + - . and
    brackets), a part of a recipient's number.
    """
    messages(
      cursor: String
      take: Int
      status: String
      from: DateTime
      to: DateTime
      search: String
      sentBy: Int
      channel: Channel
      failed: Boolean
      failureCode: Int
    ): MessagePage! @requireAuth
    "Staff who can appear as a message's sender (the list's sender filter), by email."
    messageSenders: [StaffUser!]! @requireAuth
    searchLimits: SearchLimits! @requireAuth
    message(id: String!): Message @requireAuth
    recipient(id: Int!): MessageRecipient @requireAuth
    "Parses pasted recipients (one per line or comma-separated) without sending."
    checkRecipients(entries: String!): RecipientCheck! @requireAuth
  }

  type RecipientProblem {
    "The entry as typed."
    input: String!
    reason: String!
  }

  type RecipientCheck {
    "Valid, normalised to E.164, duplicates removed, in input order."
    valid: [String!]!
    invalid: [RecipientProblem!]!
    duplicatesRemoved: Int!
  }

  input SendMessageInput {
    body: String!
    "Pasted recipients: one per line or comma-separated, up to 1,000."
    recipients: String!
    clientReference: String
    "Sender number or alphanumeric id; defaults to SINCH_FROM."
    sender: String
    "SMS (default) or WHATSAPP (Conversation API)."
    channel: Channel
    "WhatsApp: send this template (whatsAppTemplates) instead of free text; body is then ignored."
    templateId: Int
    "WhatsApp template parameter values, in the template's parameterNames order (body[1]text, body[2]text...)."
    templateParameters: [String!]
    "WhatsApp: fall back to SMS when WhatsApp fails (channel_priority_order WHATSAPP, SMS)."
    smsFallback: Boolean
  }

  type SendMessageResult {
    "The stored message (also when Sinch refused it: see submitState)."
    message: Message
    "Set when nothing was stored because some recipients are invalid."
    invalid: [RecipientProblem!]!
  }

  type Mutation {
    sendMessage(input: SendMessageInput!): SendMessageResult! @requireAuth(roles: ["admin", "sender"])
    "Submits again a message whose submission failed; never sends twice."
    retrySendMessage(id: String!): Message! @requireAuth(roles: ["admin", "sender"])
  }
`
