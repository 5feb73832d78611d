export const schema = gql`
  enum StaffRole {
    admin
    sender
    viewer
  }

  "A staff account, as admins manage it."
  type User {
    id: Int!
    email: String!
    name: String
    role: StaffRole!
    createdAt: DateTime!
    "When the user chose a password; null while the invitation is pending."
    activatedAt: DateTime
    "Set while the account is disabled."
    disabledAt: DateTime
    "When the latest unused invitation or reset link expires, if there is one."
    pendingLinkExpiresAt: DateTime
  }

  type RoleInfo {
    role: StaffRole!
    description: String!
  }

  enum UserLinkPurpose {
    INVITATION
    PASSWORD_RESET
  }

  """
  A one-time link for one user. The desk sends no email: the admin passes the
  link on. token is shown once and never stored (only its hash is).
  """
  type UserLink {
    user: User!
    purpose: UserLinkPurpose!
    token: String!
    expiresAt: DateTime!
  }

  "What a one-time link is for, as its holder may see before using it."
  type UserLinkInfo {
    purpose: UserLinkPurpose!
    email: String!
    expiresAt: DateTime!
    "The fewest characters the new password may have (redeemUserLink refuses fewer)."
    minPasswordLength: Int!
  }

  type RedeemedLink {
    "Log in with this email and the new password."
    email: String!
  }

  input InviteUserInput {
    email: String!
    role: StaffRole!
    name: String
  }

  type Query {
    "Every staff account, oldest first."
    users: [User!]! @requireAuth(roles: ["admin"])
    "The roles and what each may do."
    staffRoles: [RoleInfo!]! @requireAuth
    "What an invitation or password-reset link is for; null when it is unknown, used or expired."
    userLink(token: String!): UserLinkInfo @skipAuth
  }

  type Mutation {
    "Creates the account and a single-use invitation link (valid 7 days) for the admin to pass on."
    inviteUser(input: InviteUserInput!): UserLink! @requireAuth(roles: ["admin"])
    "A new single-use link: an invitation while the user never chose a password, else a password reset (valid 24 hours). Earlier links stop working."
    createUserLink(id: Int!): UserLink! @requireAuth(roles: ["admin"])
    "Refused when it would leave the desk without an active admin."
    setUserRole(id: Int!, role: StaffRole!): User! @requireAuth(roles: ["admin"])
    "A disabled user's sessions stop at their next request. Refused for the last active admin."
    setUserDisabled(id: Int!, disabled: Boolean!): User! @requireAuth(roles: ["admin"])
    "Sets the password with an invitation or reset link (single use). Then log in."
    redeemUserLink(token: String!, password: String!, name: String): RedeemedLink! @skipAuth
  }
`
