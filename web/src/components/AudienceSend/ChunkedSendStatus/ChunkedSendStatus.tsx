import type { CancelMessageMutation, CancelMessageMutationVariables, FindMessageQuery } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

const CANCEL: TypedDocumentNode<CancelMessageMutation, CancelMessageMutationVariables> = gql`
  mutation CancelMessageMutation($id: String!) {
    cancelMessage(id: $id) {
      id
      cancelledAt
      scheduled
      submitError
    }
  }
`

type Message = NonNullable<FindMessageQuery['message']>

/** A chunked send on its message page: when it goes, how far its batches are, and Cancel while it is scheduled. */
const ChunkedSendStatus = ({ message }: { message: Message }) => {
  const can = useCan()
  const [cancel, { loading }] = useMutation(CANCEL, {
    refetchQueries: ['FindMessageQuery', 'MessageRecipientsQuery'],
    onCompleted: () => toast.success('Cancelled'),
    onError: (error) => toast.error(error.message),
  })
  const c = message.chunkProgress
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return (
    <div className="mt-3 space-y-2 rounded border border-slate-200 bg-white p-3 text-sm" data-chunked-send>
      {message.cancelledAt ? (
        <p data-send-state="cancelled">Cancelled {new Date(message.cancelledAt).toLocaleString()}.</p>
      ) : message.sendAt ? (
        <p data-send-state={message.scheduled ? 'scheduled' : 'sent'}>
          {message.scheduled ? 'Scheduled for ' : 'Scheduled, went at '}
          <strong>{new Date(message.sendAt).toLocaleString()}</strong> ({timeZone})
        </p>
      ) : null}
      {message.expireAt && !message.cancelledAt && (
        <p data-expire-at={message.expireAt}>
          Sinch stops trying at <strong>{new Date(message.expireAt).toLocaleString()}</strong> ({timeZone})
        </p>
      )}
      {c && (
        <p data-chunk-progress={`${c.submitted}/${c.total}`}>
          Sinch batches: {c.submitted} of {c.total} submitted
          {c.pending + c.submitting > 0 ? `, ${c.pending + c.submitting} waiting` : ''}
          {c.failed > 0 ? `, ${c.failed} failed` : ''}
          {c.cancelled > 0 ? `, ${c.cancelled} cancelled` : ''}
          {c.lastError && c.pending + c.failed > 0 ? ` (last answer: ${c.lastError})` : ''}
        </p>
      )}
      {message.scheduled && can('send') && (
        <button
          type="button"
          disabled={loading}
          onClick={() => {
            if (window.confirm('Cancel this scheduled message? Nobody will get it.'))
              cancel({ variables: { id: message.id } })
          }}
          className="rounded bg-rose-700 px-3 py-1.5 font-medium text-white hover:bg-rose-800 disabled:opacity-60"
        >
          {loading ? 'Cancelling…' : 'Cancel scheduled message'}
        </button>
      )}
    </div>
  )
}

export default ChunkedSendStatus
