export const schema = gql`
  type Query {
    "True while the desk has no user yet: only then can the first admin sign up (with the setup token)."
    signupOpen: Boolean! @skipAuth
  }
`
