export const schema = gql`
  # Resend links; the rest of Message is in messages.sdl.ts.
  extend type Message {
    "The message this one resends to its failed recipients."
    resendOf: Message
    "1 for the first resend of resendOf, 2 for the next..."
    resendAttempt: Int
    "Resends of this message to its failed recipients, oldest first."
    resends: [Message!]!
  }

  type ResendResult {
    "The resend: new, or the existing one when nothing is left to resend."
    message: Message!
    "False when an earlier resend already covers every failed recipient (or another user's press won)."
    created: Boolean!
    "Failed recipients not resent because they opted out."
    skippedOptedOut: Int!
    "Failed recipients already in an earlier resend."
    alreadyResent: Int!
  }

  type Mutation {
    "Sends the message again, as a new linked message, to its recipients whose delivery failed. Never creates two for one press."
    resendFailed(id: String!): ResendResult! @requireAuth(roles: ["admin", "sender"])
  }
`
