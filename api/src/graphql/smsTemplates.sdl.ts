export const schema = gql`
  "A saved SMS body; ((name)) placeholders are filled per recipient when it is sent."
  type SmsTemplate {
    id: Int!
    name: String!
    body: String!
    "The body's placeholders, in order."
    placeholders: [String!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  input SmsTemplateInput {
    name: String!
    body: String!
  }

  type Query {
    smsTemplates: [SmsTemplate!]! @requireAuth
  }

  type Mutation {
    "Saves a template (a new one, or the one with this id)."
    saveSmsTemplate(id: Int, input: SmsTemplateInput!): SmsTemplate! @requireAuth(roles: ["admin", "sender"])
    deleteSmsTemplate(id: Int!): SmsTemplate! @requireAuth(roles: ["admin", "sender"])
  }
`
