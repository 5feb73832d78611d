import type {
  FindMessageQuery,
  FindMessageQueryVariables,
  RetrySendMutation,
  RetrySendMutationVariables,
} from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import ChunkedSendStatus from 'src/components/AudienceSend/ChunkedSendStatus/ChunkedSendStatus'
import StatusBar from 'src/components/Delivery/StatusBar/StatusBar'
import CheckWithSinch from 'src/components/Messages/CheckWithSinch/CheckWithSinch'
import ResendFailed from 'src/components/Messages/ResendFailed/ResendFailed'
import When from 'src/components/When/When'
import { channelLabel } from 'src/lib/channel'
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
      chunked
      chunkCount
      chunkProgress {
        total
        pending
        submitting
        submitted
        failed
        cancelled
        lastError
      }
      sendAt
      expireAt
      cancelledAt
      scheduled
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
      resendable {
        count
        unlikelyToSucceed
        optedOut
        alreadyResent
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

// Only the id is a variable: the page passes React nodes (aside, children) too, which cannot go into a query.
export const beforeQuery = ({ id }: { id: string }) => ({
  variables: { id },
  // Redwood's defaults for a cell.
  fetchPolicy: 'cache-and-network' as const,
  notifyOnNetworkStatusChange: true,
})

export const Loading = () => <p className="text-slate-600">Loading the message…</p>

/** Nothing of a message page (live dot, recipients) for an id that names no message. */
export const Empty = ({ id }: { id?: string }) => (
  <section aria-labelledby="message-heading" className="rounded border border-amber-200 bg-amber-50 p-4 text-amber-900">
    <h1 id="message-heading" className="text-lg font-semibold">
      No such message
    </h1>
    <p className="mt-1 text-sm">
      {id ? (
        <>
          Nothing was sent with the id <span className="break-all font-mono">{id}</span>.{' '}
        </>
      ) : null}
      It may have been mistyped, or removed by the retention rules.{' '}
      <Link to={routes.messages()} className="underline">
        See all messages
      </Link>
      .
    </p>
  </section>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the message: {error?.message}
  </p>
)

/** A heading stays a heading: a long body is shown in full below it, not as the page's title. */
export const HEADING_MAX_CHARS = 80

/** The first line of the body, cut at a word before HEADING_MAX_CHARS. */
export function messageHeading(body: string): string {
  const firstLine = body.split('\n', 1)[0].trim()
  if (firstLine.length <= HEADING_MAX_CHARS && firstLine === body.trim()) return firstLine
  const cut = firstLine.length <= HEADING_MAX_CHARS ? firstLine : firstLine.slice(0, HEADING_MAX_CHARS)
  const atWord =
    cut.length === HEADING_MAX_CHARS && cut.lastIndexOf(' ') > 40 ? cut.slice(0, cut.lastIndexOf(' ')) : cut
  return `${atWord.trimEnd()}…`
}

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

type SuccessProps = CellSuccessProps<FindMessageQuery, FindMessageQueryVariables> & {
  /** Shown beside the heading (the page's live indicator): only for a message that exists. */
  aside?: React.ReactNode
  /** The rest of the page (recipients, timeline): only for a message that exists. */
  children?: React.ReactNode
}

export const Success = ({ message, aside, children }: SuccessProps) => {
  const [retry, { loading }] = useMutation(RETRY, {
    onCompleted: (data) =>
      data.retrySendMessage.submitState === 'SUBMITTED'
        ? toast.success('Sinch accepted the message')
        : toast.error(data.retrySendMessage.submitError ?? 'Still not accepted'),
    onError: (error) => toast.error(error.message),
  })
  const can = useCan()
  const p = message!.progress
  const heading = messageHeading(message!.body)
  return (
    <>
      <section aria-labelledby="message-heading">
        <div className="flex items-start justify-between gap-3">
          <h1 id="message-heading" className="min-w-0 break-words text-lg font-semibold">
            {heading}
          </h1>
          {aside}
        </div>
        {heading !== message!.body.trim() && (
          <p
            className="mt-2 whitespace-pre-wrap break-words rounded border border-slate-200 bg-white p-3 text-sm"
            data-testid="body"
          >
            {message!.body}
          </p>
        )}
        <p className="mt-1 text-sm text-slate-600">
          <When at={message!.createdAt} /> · {channelLabel(message!.channel)}
          {message!.templateName ? ` · template ${message!.templateName} (${message!.templateLanguage})` : ''}
          {message!.smsFallback ? ' · SMS fallback' : ''}
          {message!.sender ? ` · from ${message!.sender}` : ''}
          {message!.createdBy ? ` · by ${message!.createdBy.email}` : ''}
          {message!.clientReference ? ` · ref ${message!.clientReference}` : ''}
        </p>
        {/* Sinch's own ids are for whoever talks to Sinch support, not the first thing staff read. */}
        {message!.sinchBatchId && (
          <details className="mt-1 text-xs text-slate-600">
            <summary className="cursor-pointer">Details for Sinch support</summary>
            <p className="mt-1">
              Sinch batch id <span className="break-all font-mono">{message!.sinchBatchId}</span> · our id{' '}
              <span className="break-all font-mono">{message!.id}</span>
            </p>
          </details>
        )}
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
        {message!.submitState === 'PENDING' && !message!.cancelledAt && (
          <p className="mt-3 rounded bg-sky-50 p-3 text-sky-900">Submitting to Sinch…</p>
        )}
        {message!.chunked && <ChunkedSendStatus message={message!} />}
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
          resendable={message!.resendable}
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
      {children}
    </>
  )
}
