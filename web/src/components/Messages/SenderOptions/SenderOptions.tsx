import type { MessageSendersQuery, MessageSendersQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const MESSAGE_SENDERS: TypedDocumentNode<MessageSendersQuery, MessageSendersQueryVariables> = gql`
  query MessageSendersQuery {
    messageSenders {
      id
      email
      name
    }
  }
`

/** The options of the list's sender filter: "Anyone", then every staff member. Goes inside a <select>. */
const SenderOptions = () => {
  const { data } = useQuery(MESSAGE_SENDERS, { fetchPolicy: 'cache-first' })
  return (
    <>
      <option value="">Anyone</option>
      {data?.messageSenders.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name ? `${u.name} (${u.email})` : u.email}
        </option>
      ))}
    </>
  )
}

export default SenderOptions
