import type { AuditEventsQuery, AuditEventsQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import When from 'src/components/When/When'

export const QUERY: TypedDocumentNode<AuditEventsQuery, AuditEventsQueryVariables> = gql`
  query AuditEventsQuery($cursor: Int, $actorId: Int, $action: String, $from: DateTime, $to: DateTime) {
    auditEvents(cursor: $cursor, take: 50, actorId: $actorId, action: $action, from: $from, to: $to) {
      items {
        id
        at
        actorId
        actorEmail
        action
        actionLabel
        targetType
        targetId
        details
        clientAddress
      }
      nextCursor
      total
    }
  }
`

export const Loading = () => <p>Loading the audit log…</p>

export const Empty = () => <p className="text-slate-600">No audit events match.</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="text-rose-800">
    Could not load the audit log: {error?.message}
  </p>
)

const details = (d: unknown) =>
  d && typeof d === 'object'
    ? Object.entries(d as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join(' · ')
    : ''

type Props = CellSuccessProps<AuditEventsQuery, AuditEventsQueryVariables> & { onNext?: (cursor: number) => void }

export const Success = ({ auditEvents, onNext }: Props) => (
  <div>
    <p className="mb-2 text-sm text-slate-600" data-testid="audit-total">
      {auditEvents.total} event{auditEvents.total === 1 ? '' : 's'}
    </p>
    {/* The table scrolls inside its box on a phone, not the page. */}
    <div className="overflow-x-auto">
      <table className="w-full rounded border border-slate-200 bg-white text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="p-2">
              When
            </th>
            <th scope="col" className="p-2">
              Who
            </th>
            <th scope="col" className="p-2">
              What
            </th>
            <th scope="col" className="p-2">
              On
            </th>
            <th scope="col" className="p-2">
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {auditEvents.items.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="whitespace-nowrap p-2">
                <When at={e.at} seconds />
              </td>
              <td className="p-2">
                {e.actorEmail ?? 'system'}
                {e.clientAddress && <span className="block text-xs text-slate-600">{e.clientAddress}</span>}
              </td>
              <td className="p-2">{e.actionLabel}</td>
              <td className="p-2 font-mono text-xs">{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</td>
              <td className="p-2 text-xs text-slate-700">{details(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {auditEvents.nextCursor && onNext && (
      <button
        type="button"
        onClick={() => onNext(auditEvents.nextCursor!)}
        className="mt-3 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
      >
        Older
      </button>
    )}
  </div>
)
