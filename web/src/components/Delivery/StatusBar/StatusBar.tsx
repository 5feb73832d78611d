import { statusBarColor } from '../statusColors'
import { useDeliveryStatuses, useStatusLabel } from '../useDeliveryStatuses'

type Props = { counts: { status: string; count: number }[]; total: number }

/** Recipients per status as one stacked bar, with the counts spelled out for screen readers. */
const StatusBar = ({ counts, total }: Props) => {
  const statuses = useDeliveryStatuses()
  const outcome = (status: string) => statuses.find((s) => s.status === status)?.outcome
  const labelOf = useStatusLabel()
  const label = counts.map((c) => `${c.count} ${labelOf(c.status)}`).join(', ')
  return (
    <div className="w-full" role="img" aria-label={label || 'no recipients'}>
      <div className="flex h-2 w-full overflow-hidden rounded bg-slate-200">
        {counts.map((c) => (
          <div
            key={c.status}
            className={statusBarColor(outcome(c.status))}
            style={{ width: `${(c.count / Math.max(total, 1)) * 100}%` }}
          />
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-600" aria-hidden="true">
        {label}
      </p>
    </div>
  )
}

export default StatusBar
