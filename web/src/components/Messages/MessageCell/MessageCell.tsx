import type {
  FindMessageQuery,
  FindMessageQueryVariables,
  RetrySendMutation,
  RetrySendMutationVariables,
} from 'types/graphql'

import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import StatusBar from 'src/components/Delivery/StatusBar/StatusBar'
import CheckWithSinch from 'src/components/Messages/CheckWithSinch/CheckWithSinch'
import ResendFailed from 'src/components/Messages/ResendFailed/ResendFailed'
import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<FindMessageQuery, FindMessageQueryVariables> = gql`
  query FindMessageQuery($id: String!) {
    message(id: $id) {
      id
      body
      sender
      channel
      sinchBatchId
      clientReference
      submitState
      submitError
      submitAttempts
      submittedAt
      recipientCount
      templateName
      templateLanguage
      smsFallback
      createdAt
      createdBy {
        email
      }
      statusCounts {
        status
        count
      }
      progress {
        total
        final
        delivered
        failed
        inFlight
        medianTimeToDeliverMs
      }
      resendAttempt
      resendOf {
        id
        createdAt
      }
      resends {
        id
        createdAt
        recipientCount
      }
    }
  }
`

const RETRY: TypedDocumentNode<RetrySendMutation, RetrySendMutationVariables> = gql`
  mutation RetrySendMutation($id: String!) {
    retrySendMessage(id: $id) {
      id
      submitState
      submitError
      submitAttempts
      sinchBatchId
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading the message…</p>

export const Empty = () => <p className="rounded bg-amber-50 p-3 text-amber-900">No such message.</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the message: {error?.message}
  </p>
)

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${ms} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.round(ms / 60_000)} min`
}

const Stat = ({ label, value }: { label: string; value: React.ReactNode }) => (
  <div className="rounded border border-slate-200 bg-white p-3">
    <dt className="text-xs text-slate-600">{label}</dt>
    <dd className="text-lg font-semibold" data-stat={label}>
      {value}
    </dd>
  </div>
)

export const Success = ({ message }: CellSuccessProps<FindMessageQuery, FindMessageQueryVariables>) => {
  const [retry, { loading }] = useMutation(RETRY, {
    onCompleted: (data) =>
      data.retrySendMessage.submitState === 'SUBMITTED'
        ? toast.success('Sinch accepted the message')
        : toast.error(data.retrySendMessage.submitError ?? 'Still not accepted'),
    onError: (error) => toast.error(error.message),
  })
  const can = useCan()
  const p = message!.progress
  return (
    <section aria-labelledby="message-heading">
      <h1 id="message-heading" className="whitespace-pre-wrap break-words text-lg font-semibold">
        {message!.body}
      </h1>
      <p className="mt-1 text-sm text-slate-600">
        {new Date(message!.createdAt).toLocaleString()} ·{' '}
        {message!.channel === 'WHATSAPP' ? 'WhatsApp' : message!.channel}
        {message!.templateName ? ` · template ${message!.templateName} (${message!.templateLanguage})` : ''}
        {message!.smsFallback ? ' · SMS fallback' : ''}
        {message!.sender ? ` · from ${message!.sender}` : ''}
        {message!.createdBy ? ` · by ${message!.createdBy.email}` : ''}
        {message!.clientReference ? ` · ref ${message!.clientReference}` : ''}
        {message!.sinchBatchId ? ` · batch ${message!.sinchBatchId}` : ''}
      </p>
      {message!.submitState === 'FAILED' && (
        <div role="alert" className="mt-3 flex flex-wrap items-center gap-3 rounded bg-rose-50 p-3 text-rose-900">
          <p>
            <strong>Sinch did not accept this message.</strong> {message!.submitError}
          </p>
          {can('send') && (
            <button
              type="button"
              disabled={loading}
              onClick={() => retry({ variables: { id: message!.id } })}
              className="rounded bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800 disabled:opacity-60"
            >
              {loading ? 'Retrying…' : 'Retry send'}
            </button>
          )}
        </div>
      )}
      {message!.submitState === 'PENDING' && (
        <p className="mt-3 rounded bg-sky-50 p-3 text-sky-900">Submitting to Sinch…</p>
      )}
      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Stat label="Recipients" value={p.total} />
        <Stat label="Delivered" value={p.delivered} />
        <Stat label="Failed" value={p.failed} />
        <Stat label="In flight" value={p.inFlight} />
        <Stat label="Median time to deliver" value={formatDuration(p.medianTimeToDeliverMs)} />
      </dl>
      <div className="mt-3">
        <StatusBar counts={message!.statusCounts} total={message!.recipientCount} />
      </div>
      {message!.submitState === 'SUBMITTED' && message!.channel === 'SMS' && can('send') && (
        <CheckWithSinch messageId={message!.id} inFlight={p.inFlight} />
      )}
      <ResendFailed
        messageId={message!.id}
        failed={p.failed}
        resendOf={message!.resendOf}
        resendAttempt={message!.resendAttempt}
        resends={message!.resends}
      />
      <a
        href={`/api/exportMessage?id=${encodeURIComponent(message!.id)}`}
        download
        className="mt-3 inline-block text-sm text-indigo-700 underline"
      >
        Export delivery history (CSV)
      </a>
    </section>
  )
}
