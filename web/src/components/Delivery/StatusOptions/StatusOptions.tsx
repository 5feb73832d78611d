import { useDeliveryStatuses, type DeliveryStatus } from '../useDeliveryStatuses'

const GROUPS: { label: string; of: (s: DeliveryStatus) => boolean }[] = [
  { label: 'Any channel', of: (s) => !s.channel },
  { label: 'SMS', of: (s) => s.channel === 'SMS' },
  { label: 'WhatsApp', of: (s) => s.channel === 'WHATSAPP' },
]

/**
 * The options of a status filter: "Any", then every status the api knows,
 * grouped by channel (SMS `Delivered` and WhatsApp `DELIVERED` are different
 * statuses). Goes inside a <select>.
 */
const StatusOptions = () => {
  const statuses = useDeliveryStatuses()
  return (
    <>
      <option value="">Any</option>
      {GROUPS.map((g) => {
        const members = statuses.filter(g.of)
        return members.length === 0 ? null : (
          <optgroup key={g.label} label={g.label}>
            {members.map((s) => (
              <option key={s.status} value={s.status} title={s.meaning}>
                {s.label}
              </option>
            ))}
          </optgroup>
        )
      })}
    </>
  )
}

export default StatusOptions
