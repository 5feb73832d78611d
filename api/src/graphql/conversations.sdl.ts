export const schema = gql`
  "One conversation of the inbox: the replies from one number on one channel, and how far the signed-in user has read them."
  type Conversation {
    "<channel>:<number>"
    id: String!
    "E.164, with the leading +."
    phoneNumber: String!
    channel: Channel!
    "The contact's name, when the desk knows one."
    name: String
    "When the latest reply arrived (Sinch's time, bounded by our receipt)."
    lastInboundAt: DateTime!
    "The latest reply's text (null for media and other content)."
    lastInboundBody: String
    lastInboundContentType: String!
    "How many replies this conversation has."
    inboundCount: Int!
    "Replies the signed-in user has not seen yet."
    unreadCount: Int!
    "Nothing was sent to this number on this channel after its latest reply."
    unanswered: Boolean!
    "The latest message sent to this number on this channel."
    lastOutboundAt: DateTime
    optedOut: Boolean!
  }

  type ConversationPage {
    items: [Conversation!]!
    "Pass as cursor for the next (older) page; null on the last page."
    nextCursor: String
  }

  "A reply from a conversation's thread."
  input ConversationReplyInput {
    phoneNumber: String!
    channel: Channel!
    "The text (SMS, or WhatsApp inside the 24-hour window)."
    body: String
    "WhatsApp: a template (always allowed, the only choice outside the window)."
    templateId: Int
    "The template's parameter values, in its parameterNames order."
    templateParameters: [String!]
  }

  type Query {
    "Conversations with a reply, newest reply first. search: part of the number (digits) or of the contact book's name."
    conversations(unansweredOnly: Boolean, search: String, cursor: String, take: Int): ConversationPage! @requireAuth
  }

  type Mutation {
    "Marks the number's replies up to upToInboundId as read by the signed-in user (their own read state). Returns how many conversations moved."
    markConversationRead(phoneNumber: String!, upToInboundId: Int!): Int! @requireAuth
    "Answers a conversation: a one-recipient send (SMS, or WhatsApp text inside the window or a template), audited as a reply."
    replyToConversation(input: ConversationReplyInput!): Message! @requireAuth(roles: ["admin", "sender"])
  }
`
