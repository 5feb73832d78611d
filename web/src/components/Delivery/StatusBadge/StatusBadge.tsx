import { statusTone } from '../statusColors'

const StatusBadge = ({ status, title }: { status: string; title?: string }) => (
  <span
    className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusTone(status)}`}
    title={title}
    data-status={status}
  >
    {status}
  </span>
)

export default StatusBadge
