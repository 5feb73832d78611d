import { Link, routes } from '@redwoodjs/router'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import { useStatusLabel } from 'src/components/Delivery/useDeliveryStatuses'
import MessageContent from 'src/components/Media/MessageContent/MessageContent'
import { formatDateTime } from 'src/lib/formatTime'

import { channelName, when, type ThreadEntryData } from './threadEntryTypes'

/** A message we sent to the contact (Compose or a reply), with its recipient's live status and history. */
const OutboundEntry = ({ entry: e }: { entry: ThreadEntryData }) => {
  const labelOf = useStatusLabel()
  return (
    <>
      <p className="text-xs text-slate-600">
        Sent · {channelName(e.channel)} · {when(e.at)}
        {e.templateName ? ` · template ${e.templateName}` : ''}
        {e.messageId && (
          <>
            {' · '}
            <Link to={routes.message({ id: e.messageId })} className="text-indigo-700 underline">
              message
            </Link>
          </>
        )}
      </p>
      <MessageContent message={e} />
      {e.status && (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
          <StatusBadge status={e.status} />
          <span className="text-slate-600">{e.statusMeaning}</span>
        </div>
      )}
      {e.reasonCode && (
        <p className="mt-1 text-xs text-rose-800" data-testid="reason">
          {e.reasonCode}: {e.reasonMeaning}
        </p>
      )}
      {e.timeline && e.timeline.length > 0 && (
        <details className="mt-1 text-xs text-slate-600">
          <summary>Delivery history</summary>
          <ul data-testid="timeline">
            {e.timeline.map((t) => (
              <li key={t.id}>
                {formatDateTime(t.at, { seconds: true })}
                {t.atIsReceiptTime ? ' (time of receipt: Sinch gave no usable event time)' : ''} {labelOf(t.status)}
                {t.channel ? ` (${channelName(t.channel)})` : ''}
                {t.reasonCode
                  ? ` — ${t.reasonCode}: ${t.reasonMeaning}`
                  : t.reasonMeaning
                    ? ` — ${t.reasonMeaning}`
                    : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  )
}

export default OutboundEntry
