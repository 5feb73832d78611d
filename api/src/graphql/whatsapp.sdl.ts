export const schema = gql`
  "A Meta-approved WhatsApp template staff may send (the only kind of message allowed outside the 24-hour window)."
  type WhatsAppTemplate {
    id: Int!
    "The template name at Meta: Sinch's template_id."
    name: String!
    "Underscore form, e.g. en_US."
    languageCode: String!
    "Preview with {{1}}, {{2}}... for the parameters."
    body: String!
    "Labels of body[1]text, body[2]text... in order."
    parameterNames: [String!]!
    createdAt: DateTime!
  }

  input WhatsAppTemplateInput {
    name: String!
    languageCode: String!
    body: String!
    parameterNames: [String!]!
  }

  "What createWhatsAppTemplate accepts, so the form says so before asking (the api refuses the rest)."
  type WhatsAppTemplateLimits {
    "The name at Meta, as a regular expression: lower-case letters, digits and _."
    namePattern: String!
    maxNameLength: Int!
    "The language code, as a regular expression: en or en_US."
    languageCodePattern: String!
    "The most characters of a body preview, blanks around it not counted."
    maxBodyLength: Int!
    "The most parameter labels, blank ones not counted."
    maxParameters: Int!
    "The most characters of one parameter label."
    maxParameterLength: Int!
  }

  "The WhatsApp 24-hour customer-service window of one number."
  type ConversationWindow {
    phoneNumber: String!
    open: Boolean!
    "The latest WhatsApp reply from this number."
    lastInboundAt: DateTime
    "When free text stops being allowed (lastInboundAt + 24 h); null without a reply."
    closesAt: DateTime
  }

  "One entry of a conversation: a reply (INBOUND) or a message we sent (OUTBOUND)."
  type ThreadEntry {
    "inbound-<id> or outbound-<recipient id>."
    id: String!
    direction: String!
    channel: Channel!
    at: DateTime!
    body: String
    "INBOUND: text, media, location..."
    contentType: String
    "Files (INBOUND: what the customer sent, with our copy's state; OUTBOUND: the file staff sent)."
    media: [ThreadMedia!]!
    "INBOUND location_message: where, with a map link."
    location: ThreadLocation
    "INBOUND choice_response_message: the option the customer chose."
    choice: ThreadChoice
    "INBOUND contact_info_message: the contact card the customer shared."
    contactCard: ThreadContactCard
    "OUTBOUND: the message and this recipient's delivery."
    messageId: String
    templateName: String
    status: String
    statusMeaning: String
    "FAILED / SWITCHING_CHANNEL: Sinch's reason code and its meaning."
    reasonCode: String
    reasonMeaning: String
    "OUTBOUND: every status report, in event order, with Sinch's reason explained."
    timeline: [ThreadStatus!]
  }

  type ThreadStatus {
    id: Int!
    status: String!
    statusMeaning: String!
    at: DateTime!
    "The channel the report is about (SWITCHING_CHANNEL moves from WHATSAPP to SMS)."
    channel: String
    "True when at is when the desk received the report: Sinch sent no event time, or one later than the report arrived."
    atIsReceiptTime: Boolean!
    reasonCode: String
    reasonMeaning: String
  }

  "Why nothing may be sent to a number."
  type ThreadOptOut {
    since: DateTime!
    "In words: opted out (replied STOP on 2026-03-01), or added by whom."
    reason: String!
    "What staff wrote when they added it."
    note: String
  }

  type ContactThread {
    phoneNumber: String!
    window: ConversationWindow!
    entries: [ThreadEntry!]!
    "The newest reply the thread shows (mark the conversation read up to it)."
    latestInboundId: Int
    "Set while the number is opted out: replies are refused."
    optOut: ThreadOptOut
  }

  type Query {
    whatsAppTemplates: [WhatsAppTemplate!]! @requireAuth
    whatsAppTemplateLimits: WhatsAppTemplateLimits! @requireAuth
    conversationWindows(phoneNumbers: [String!]!): [ConversationWindow!]! @requireAuth
    "Inbound and outbound messages of one number, oldest first (the latest 200)."
    contactThread(phoneNumber: String!): ContactThread! @requireAuth
  }

  type Mutation {
    createWhatsAppTemplate(input: WhatsAppTemplateInput!): WhatsAppTemplate! @requireAuth(roles: ["admin"])
    deleteWhatsAppTemplate(id: Int!): WhatsAppTemplate! @requireAuth(roles: ["admin"])
  }
`
