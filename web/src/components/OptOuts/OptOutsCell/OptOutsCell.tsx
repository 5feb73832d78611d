import type {
  OptOutsQuery,
  OptOutsQueryVariables,
  RemoveOptOutMutation,
  RemoveOptOutMutationVariables,
} from 'types/graphql'

import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import When from 'src/components/When/When'
import { channelLabel } from 'src/lib/channel'
import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<OptOutsQuery, OptOutsQueryVariables> = gql`
  query OptOutsQuery($search: String) {
    optOuts(search: $search) {
      id
      phoneNumber
      source
      note
      createdAt
      createdBy {
        email
      }
      inboundMessage {
        id
        channel
        body
        receivedAt
      }
    }
  }
`

export const REMOVE_OPT_OUT: TypedDocumentNode<RemoveOptOutMutation, RemoveOptOutMutationVariables> = gql`
  mutation RemoveOptOutMutation($phoneNumber: String!) {
    removeOptOut(phoneNumber: $phoneNumber) {
      id
      phoneNumber
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading opt-outs…</p>

export const Empty = () => (
  <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-700">
    No number has opted out. A reply of STOP adds one here; START removes it.
  </div>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load opt-outs: {error?.message}
  </p>
)

type OptOutRow = OptOutsQuery['optOuts'][number]

function cause(o: OptOutRow): React.ReactNode {
  if (o.source === 'INBOUND') {
    return (
      <>
        Replied <q className="font-mono">{o.inboundMessage?.body ?? 'STOP'}</q>
        {o.inboundMessage ? ` by ${channelLabel(o.inboundMessage.channel)}` : ''}
      </>
    )
  }
  return <>Added by {o.createdBy?.email ?? 'staff'}</>
}

export const Success = ({ optOuts }: CellSuccessProps<OptOutsQuery, OptOutsQueryVariables>) => {
  const [remove, { loading }] = useMutation(REMOVE_OPT_OUT, {
    refetchQueries: ['OptOutsQuery'],
    awaitRefetchQueries: true,
    onCompleted: (data) => toast.success(`${data.removeOptOut.phoneNumber} may be sent to again`),
    onError: (error) => toast.error(error.message),
  })
  const canRemove = useCan()('administer')
  return (
    // A wide row (a long reason, many parameters) scrolls in its own box, never the page (a phone is 390 px).
    // `relative`: the header's sr-only label (absolutely positioned) is then clipped by the box too, instead of
    // widening the page from the last column when the table is wider than the screen.
    <div className="relative overflow-x-auto">
      <table className="w-full rounded border border-slate-200 bg-white text-sm">
        <caption className="sr-only">Opted-out numbers</caption>
        <thead className="bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="p-2">
              Number
            </th>
            <th scope="col" className="p-2">
              Since
            </th>
            <th scope="col" className="p-2">
              Source
            </th>
            <th scope="col" className="p-2">
              Why
            </th>
            <th scope="col" className="p-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {optOuts.map((o) => (
            <tr key={o.id} data-source={o.source}>
              <td className="p-2 font-mono">{o.phoneNumber}</td>
              <td className="p-2">
                <When at={o.createdAt} relative />
              </td>
              <td className="p-2">{o.source === 'INBOUND' ? 'Reply' : 'Staff'}</td>
              <td className="p-2">
                {cause(o)}
                {o.note ? <span className="block text-xs text-slate-600">{o.note}</span> : null}
              </td>
              <td className="p-2 text-right">
                {canRemove && (
                  <button
                    type="button"
                    disabled={loading}
                    aria-label={`Remove the opt-out of ${o.phoneNumber}`}
                    onClick={() => remove({ variables: { phoneNumber: o.phoneNumber } })}
                    className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-60"
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
