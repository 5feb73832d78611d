import type { RecipientTimelineQuery, RecipientTimelineQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import { formatDateTime } from 'src/lib/formatTime'

export const QUERY: TypedDocumentNode<RecipientTimelineQuery, RecipientTimelineQueryVariables> = gql`
  query RecipientTimelineQuery($id: Int!) {
    recipient(id: $id) {
      id
      phoneNumber
      status
      statusMeaning
      statusReason
      timeline {
        id
        status
        statusMeaning
        code
        codeMeaning
        reason
        at
        operatorStatusAt
        receivedAt
        source
        timeSource
        rawPayload
      }
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading the timeline…</p>
export const Empty = () => <p>No such recipient.</p>
export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the timeline: {error?.message}
  </p>
)

/** Why a report's event time is not Sinch's own (README, "How a report moves a recipient"). */
const TIME_SOURCE_NOTES: Record<string, string> = {
  BATCH_ARRIVAL: 'From a batch report, which gives no time per recipient: the event time is when it arrived.',
  CLAMPED: 'Sinch dated this report later than it arrived: the event time is when it arrived.',
  RECEIVED: 'Sinch sent no event time with this report: the event time is when it arrived.',
}

// To the millisecond: reports of one recipient often arrive within the same second.
const time = (iso?: string | null) => (iso ? formatDateTime(iso, { seconds: 'ms' }) : '—')

export const Success = ({ recipient }: CellSuccessProps<RecipientTimelineQuery, RecipientTimelineQueryVariables>) => (
  <section aria-labelledby="timeline-heading" className="rounded border border-slate-200 bg-white p-4">
    <h2 id="timeline-heading" className="font-semibold">
      Timeline for <span className="font-mono">{recipient!.phoneNumber}</span>
    </h2>
    <p className="text-sm text-slate-600">
      Now: <StatusBadge status={recipient!.status} /> {recipient!.statusMeaning}
    </p>
    {recipient!.statusReason && (
      <p className="mt-1 text-sm text-slate-800" data-status-reason>
        {recipient!.statusReason}
      </p>
    )}
    {recipient!.timeline.length === 0 ? (
      <p className="mt-3 text-sm text-slate-600">No report from Sinch yet.</p>
    ) : (
      <ol className="mt-3 space-y-3" aria-label="Status reports in event order">
        {recipient!.timeline.map((u) => (
          <li key={u.id} className="border-l-2 border-slate-200 pl-3" data-timeline-status={u.status}>
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={u.status} title={u.statusMeaning} />
              <span className="text-sm">{u.codeMeaning ?? u.statusMeaning}</span>
            </div>
            <p className="mt-1 text-xs text-slate-600">
              Event {time(u.at)} · operator {time(u.operatorStatusAt)} · received {time(u.receivedAt)} ·{' '}
              {u.source === 'FETCHED' ? 'fetched from Sinch' : 'pushed by Sinch'}
            </p>
            {TIME_SOURCE_NOTES[u.timeSource] && (
              <p className="mt-1 text-xs text-amber-800" data-time-source={u.timeSource}>
                {TIME_SOURCE_NOTES[u.timeSource]}
              </p>
            )}
            {u.reason && (
              <p className="mt-1 text-sm text-slate-800" data-reason>
                {u.reason}
              </p>
            )}
            {/* The api gives raw payloads to admins only. */}
            {u.rawPayload !== null && (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-indigo-700">Raw payload</summary>
                <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                  {JSON.stringify(u.rawPayload, null, 2)}
                </pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    )}
  </section>
)
