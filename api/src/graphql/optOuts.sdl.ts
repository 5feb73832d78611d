export const schema = gql`
  enum OptOutSource {
    INBOUND
    STAFF
  }

  enum OptOutAction {
    OPT_OUT
    OPT_IN
  }

  "A reply that changed an opt-out (its text is the keyword)."
  type InboundReply {
    id: Int!
    channel: Channel!
    body: String
    receivedAt: DateTime!
  }

  "A number that is never sent to: it replied STOP, or staff added it."
  type OptOut {
    id: Int!
    "E.164, with the leading +."
    phoneNumber: String!
    source: OptOutSource!
    "The reply that opted it out, when source is INBOUND."
    inboundMessage: InboundReply
    "Who added it, when source is STAFF."
    createdBy: StaffUser
    note: String
    "Opted out since."
    createdAt: DateTime!
  }

  "One opt-out or opt-in, kept after the opt-out is removed."
  type OptOutEvent {
    id: Int!
    phoneNumber: String!
    action: OptOutAction!
    source: OptOutSource!
    createdBy: StaffUser
    inboundMessage: InboundReply
    note: String
    at: DateTime!
  }

  input AddOptOutInput {
    "A phone number, validated like a recipient."
    phoneNumber: String!
    note: String
  }

  "What the opt-out form may send, so it says so before asking (addOptOut refuses more)."
  type OptOutLimits {
    "The most characters a note may have, blanks around it not counted."
    maxNoteLength: Int!
  }

  type Query {
    optOutLimits: OptOutLimits! @requireAuth
    "Opted-out numbers, newest first (up to 500); search matches a part of the number."
    optOuts(search: String): [OptOut!]! @requireAuth
    "The history of opt-outs and opt-ins, newest first, take 1 to 500 (default 50)."
    optOutEvents(phoneNumber: String, take: Int): [OptOutEvent!]! @requireAuth
  }

  type Mutation {
    "Opts a number out by hand; audited with the staff user."
    addOptOut(input: AddOptOutInput!): OptOut! @requireAuth(roles: ["admin", "sender"])
    "Removes an opt-out by hand (the number may be sent to again); audited with the staff user."
    removeOptOut(phoneNumber: String!, note: String): OptOut! @requireAuth(roles: ["admin"])
  }
`
