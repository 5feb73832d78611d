export const schema = gql`
  type Query {
    "True while the desk has no user yet: the web signup is open only then."
    signupOpen: Boolean! @skipAuth
  }
`
