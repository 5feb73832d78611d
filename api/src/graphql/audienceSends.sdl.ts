export const schema = gql`
  "Where an audience send's recipients come from."
  enum AudienceSource {
    "Numbers pasted one per line or comma-separated."
    PASTED
    "An uploaded CSV with a header row; its columns fill the template's placeholders."
    CSV
    "A contact list."
    LIST
  }

  input PlaceholderDefaultInput {
    name: String!
    value: String!
  }

  input AudienceSendInput {
    "The text; ((name)) placeholders are filled per recipient."
    body: String!
    sender: String
    clientReference: String
    "The saved template the body came from, if any."
    smsTemplateId: Int
    source: AudienceSource!
    recipients: String
    csv: String
    "The CSV file gzip-compressed and base64-encoded (what the browser sends: a 100,000-row file in a few hundred kB)."
    csvGzip: String
    "The CSV column holding the numbers (default: the first named phone, number, mobile...)."
    numberColumn: String
    listId: Int
    "A value for a placeholder where a row has none."
    defaults: [PlaceholderDefaultInput!]
    "Send later (UTC); null sends now."
    sendAt: DateTime
    "Sinch stops trying after this (at most 3 days after sending)."
    expireAt: DateTime
  }

  "A row left out of the send, with its line in the file (or pasted text)."
  type AudienceProblem {
    line: Int
    input: String!
    reason: String!
  }

  type MissingPlaceholder {
    name: String!
    rows: Int!
  }

  type FilledMessagePreview {
    phoneNumber: String!
    text: String!
    parts: Int!
    encoding: String!
  }

  "What a send would do, before anything is stored."
  type AudienceReview {
    recipients: Int!
    duplicatesRemoved: Int!
    invalidCount: Int!
    "The first 200 invalid rows."
    invalid: [AudienceProblem!]!
    optedOutCount: Int!
    optedOut: [AudienceProblem!]!
    "Placeholders some rows have no value for (and no default): the send is refused until covered."
    missing: [MissingPlaceholder!]!
    placeholders: [String!]!
    preview: [FilledMessagePreview!]!
    "Parts by our own count, per recipient after filling."
    ourParts: Int!
    "Parts by Sinch's dry run; null when it could not be asked."
    sinchParts: Int
    "The parts the estimate uses: Sinch's where known."
    parts: Int!
    "Set when Sinch's count differs from ours, or could not be had."
    partsNote: String
    estimatedCost: Float!
    currency: String!
    pricePerPart: Float!
    "Sinch batches the send becomes."
    chunks: Int!
    sendAt: DateTime
    expireAt: DateTime
    "What the review screened, kept for an hour to confirm with sendToAudience; null when there is nothing to send."
    draftId: String
  }

  "How far the submission of a chunked send has come."
  type ChunkProgress {
    total: Int!
    pending: Int!
    submitting: Int!
    submitted: Int!
    failed: Int!
    cancelled: Int!
    "The latest error of a chunk still waiting or failed (e.g. a 429)."
    lastError: String
  }

  type Message {
    "Sent as several Sinch batches (an audience send)."
    chunked: Boolean!
    chunkCount: Int!
    chunkProgress: ChunkProgress
    parameterNames: [String!]!
    "Scheduled for this time (UTC)."
    sendAt: DateTime
    expireAt: DateTime
    cancelledAt: DateTime
    "Scheduled and not gone yet: it can be cancelled."
    scheduled: Boolean!
  }

  type MessageRecipient {
    "The text this recipient gets, once the template is filled (null: the message body)."
    filledText: String
    parts: Int
    "Which Sinch batch of a chunked send (from 1)."
    chunk: Int
  }

  type Query {
    "Screens an audience and counts parts and cost; stores no message (only the draft that confirming uses)."
    reviewAudienceSend(input: AudienceSendInput!): AudienceReview! @requireAuth(roles: ["admin", "sender"])
  }

  type Mutation {
    "Stores the reviewed send (its draftId, or the same input again) and submits it in the background, in chunks."
    sendToAudience(input: AudienceSendInput, draftId: String, expectedRecipients: Int!): Message!
      @requireAuth(roles: ["admin", "sender"])
    "Cancels a scheduled message that has not gone yet."
    cancelMessage(id: String!): Message! @requireAuth(roles: ["admin", "sender"])
  }
`
