export const schema = gql`
  type Mutation {
    "Ends every session of the signed-in user, in every browser, this one included."
    signOutEverywhere: Boolean! @requireAuth
  }
`
