export const schema = gql`
  "What a send may contain, so Compose warns while typing rather than after Send."
  type SendLimits {
    "The most characters an SMS body may have, blanks around it not counted (sendMessage refuses more)."
    maxSmsBodyLength: Int!
    "The most characters a WhatsApp free text may have, blanks around it not counted."
    maxWhatsAppTextLength: Int!
    "The most characters the pasted recipients may have (sendMessage refuses more before parsing them)."
    maxRecipientsTextLength: Int!
    "The most characters a client reference may have."
    maxClientReferenceLength: Int!
    "How long after it goes an audience send's expiry (Sinch's expire_at) may be, in hours."
    maxExpiryHoursAfterSend: Int!
    "CSV column names (lower case, spaces and dashes as _) an audience send takes as the number column when none is chosen: the first such column."
    csvNumberColumnNames: [String!]!
  }

  type Query {
    sendLimits: SendLimits! @requireAuth
  }
`
