export const schema = gql`
  type Query {
    "True while the desk has no user yet: only then can the first admin sign up (with the setup token)."
    signupOpen: Boolean! @skipAuth
    "What a new password must be: the first admin's sign-up form checks it before the api refuses it."
    passwordRules: PasswordRules! @skipAuth
  }

  type PasswordRules {
    "The fewest characters a password may have (sign-up, invitations and resets refuse fewer)."
    minLength: Int!
  }
`
