import type {
  CallbackEventsQuery,
  CallbackEventsQueryVariables,
  ReprocessCallbackMutation,
  ReprocessCallbackMutationVariables,
} from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import PageButton from 'src/components/PageButton/PageButton'
import When from 'src/components/When/When'
import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<CallbackEventsQuery, CallbackEventsQueryVariables> = gql`
  query CallbackEventsQuery($cursor: Int, $verdict: CallbackVerdict) {
    callbackEvents(cursor: $cursor, take: 50, verdict: $verdict) {
      nextCursor
      items {
        id
        receivedAt
        kind
        verdict
        processingState
        error
        batchId
        secretId
        reportsStored
        reports {
          total
          items {
            phoneNumber
            status
            code
            messageId
          }
        }
        rawBody
        headers
      }
    }
  }
`

export const beforeQuery = (props: CallbackEventsQueryVariables) => ({
  variables: props,
  fetchPolicy: 'cache-and-network' as const,
})

// The page object itself is never null, so Redwood's default check never sees it as empty.
export const isEmpty = (data: CallbackEventsQuery) => !data?.callbackEvents?.items?.length

export const Loading = () => <p className="text-slate-600">Loading callbacks…</p>
/** With a filter, the log is not empty: nothing matches the filter. */
export const Empty = ({ onClearFilters }: { onClearFilters?: () => void }) => {
  // The command line is for whoever runs the desk; staff need only know what brings a callback.
  const admin = useCan()('administer')
  return (
    <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-700">
      {onClearFilters ? (
        <>
          No callback matches these filters.{' '}
          <button type="button" className="text-indigo-700 underline" onClick={onClearFilters}>
            Clear the filters
          </button>
        </>
      ) : admin ? (
        <>
          No callback has reached <code>/api/sinchCallbacks</code> yet. Send a message, or post one with{' '}
          <code>yarn send-callback</code>.
        </>
      ) : (
        <>No delivery report from Sinch yet. Reports arrive here once a message has been sent.</>
      )}
    </div>
  )
}
export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load callbacks: {error?.message}
  </p>
)

const TONE: Record<string, string> = {
  ACCEPTED: 'bg-emerald-100 text-emerald-900',
  DUPLICATE: 'bg-sky-100 text-sky-900',
  REJECTED: 'bg-rose-100 text-rose-900',
  IGNORED: 'bg-slate-100 text-slate-800',
}

export const REPROCESS: TypedDocumentNode<ReprocessCallbackMutation, ReprocessCallbackMutationVariables> = gql`
  mutation ReprocessCallbackMutation($id: Int!) {
    reprocessCallback(id: $id) {
      callbackEventId
      processingState
      stored
      duplicates
      attached
      unmatched
      error
    }
  }
`

/** Callbacks staff can have processed again: no message matched yet, or processing failed. */
export const REPROCESSABLE = ['UNMATCHED', 'FAILED']

export function describeReprocess(r: ReprocessCallbackMutation['reprocessCallback']): string {
  if (r.error) return `Callback ${r.callbackEventId} could not be re-processed: ${r.error}`
  const found = [
    r.stored > 0 && `${r.stored} stored`,
    r.attached > 0 && `${r.attached} attached to its message`,
    r.duplicates > 0 && `${r.duplicates} already stored`,
  ]
    .filter(Boolean)
    .join(', ')
  return r.processingState === 'UNMATCHED'
    ? `Callback ${r.callbackEventId}: still no message for it${found ? ` (${found})` : ''}.`
    : `Callback ${r.callbackEventId} re-processed${found ? `: ${found}` : ''}.`
}

const ReprocessButton = ({ id }: { id: number }) => {
  const can = useCan()
  const [reprocess, { loading }] = useMutation(REPROCESS, {
    refetchQueries: ['CallbackEventsQuery'],
    onCompleted: ({ reprocessCallback: r }) =>
      r.processingState === 'PROCESSED' ? toast.success(describeReprocess(r)) : toast.error(describeReprocess(r)),
    onError: (error) => toast.error(error.message),
  })
  if (!can('administer')) return null
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => reprocess({ variables: { id } })}
      className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-slate-100 disabled:opacity-60"
    >
      {loading ? 'Re-processing…' : 'Re-process'}
    </button>
  )
}

type Reports = NonNullable<CallbackEventsQuery['callbackEvents']['items'][number]['reports']>

/** Who a callback was about and what it said, each linked to its message when the desk has it. */
const ReportSummary = ({ reports }: { reports: Reports }) => (
  <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Reports in this callback">
    {reports.items.map((r, i) => (
      <li key={i} className="flex items-center gap-2">
        <span className="font-mono">{r.phoneNumber || 'unknown number'}</span>
        <StatusBadge status={r.status} />
        {r.messageId ? (
          <Link to={routes.message({ id: r.messageId })} className="text-indigo-700 underline">
            message
          </Link>
        ) : (
          <span className="text-xs text-slate-600">no message</span>
        )}
      </li>
    ))}
    {reports.total > reports.items.length && (
      <li className="text-slate-600">and {reports.total - reports.items.length} more</li>
    )}
  </ul>
)

type Props = CellSuccessProps<CallbackEventsQuery, CallbackEventsQueryVariables> & {
  onNext?: (cursor: number) => void
  /** Given while a filter is set: the empty state then offers to clear it. */
  onClearFilters?: () => void
}

export const Success = ({ callbackEvents, onNext }: Props) => {
  const can = useCan()
  return (
    <div>
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
        {callbackEvents.items.map((e) => (
          <li key={e.id} className="p-3" data-verdict={e.verdict}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className={`rounded px-2 py-0.5 text-xs font-semibold ${TONE[e.verdict]}`}>
                {e.verdict.toLowerCase()}
              </span>
              <span className="font-mono">{e.kind}</span>
              {/* Sinch's batch id matters to whoever talks to Sinch support: admins (and the body below). */}
              {e.batchId && can('administer') && <span className="text-slate-600">batch {e.batchId}</span>}
              <span className="text-slate-600">{e.processingState.toLowerCase()}</span>
              {e.reportsStored > 0 && (
                <span className="text-slate-600">
                  {e.reportsStored} report{e.reportsStored === 1 ? '' : 's'} stored
                </span>
              )}
              {REPROCESSABLE.includes(e.processingState) && <ReprocessButton id={e.id} />}
              <When at={e.receivedAt} relative className="ml-auto text-xs text-slate-600" />
            </div>
            {e.reports && e.reports.items.length > 0 && <ReportSummary reports={e.reports} />}
            {e.error && <p className="mt-1 text-sm text-rose-800">{e.error}</p>}
            {/* The api gives raw bodies and headers to admins only. */}
            {e.rawBody !== null && (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-indigo-700">
                  Body and headers{e.secretId ? ` (verified with secret ${e.secretId})` : ''}
                </summary>
                <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                  {JSON.stringify(e.headers, null, 2)}
                </pre>
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100">
                  {e.rawBody}
                </pre>
              </details>
            )}
          </li>
        ))}
      </ul>
      {callbackEvents.nextCursor && onNext && (
        <PageButton onClick={() => onNext(callbackEvents.nextCursor!)}>Older callbacks</PageButton>
      )}
    </div>
  )
}
