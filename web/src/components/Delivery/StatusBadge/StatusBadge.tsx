import { statusTone } from '../statusColors'
import { useDeliveryStatus } from '../useDeliveryStatuses'

/** A status, coloured by its outcome; the tooltip is `title`, else the status's meaning. */
const StatusBadge = ({ status, title }: { status: string; title?: string }) => {
  const known = useDeliveryStatus(status)
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusTone(known?.outcome)}`}
      title={title ?? known?.meaning}
      data-status={status}
    >
      {known?.label ?? status}
    </span>
  )
}

export default StatusBadge
