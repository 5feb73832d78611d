export const schema = gql`
  # Resend links; the rest of Message is in messages.sdl.ts.
  extend type Message {
    "The message this one resends to its failed recipients."
    resendOf: Message
    "1 for the first resend of resendOf, 2 for the next..."
    resendAttempt: Int
    "Resends of this message to its failed recipients, oldest first."
    resends: [Message!]!
    "The failed recipients Resend to failed would send to now, and those it would not."
    resendable: ResendableFailures!
  }

  type ResendableFailures {
    "Failed recipients a resend would send to (not opted out, not in an earlier resend)."
    count: Int!
    "Of count, those whose failure a resend will not change (an unroutable number, a region the account does not reach…)."
    unlikelyToSucceed: Int!
    "Failed recipients left out because they opted out."
    optedOut: Int!
    "Failed recipients already in an earlier resend."
    alreadyResent: Int!
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
    "Failed recipients left out because a resend would fail the same way (only with skipUnlikely)."
    skippedUnlikely: Int!
  }

  type Mutation {
    "Sends the message again, as a new linked message, to its recipients whose delivery failed. Never creates two for one press. skipUnlikely leaves out those whose failure a resend will not change."
    resendFailed(id: String!, skipUnlikely: Boolean): ResendResult! @requireAuth(roles: ["admin", "sender"])
  }
`
