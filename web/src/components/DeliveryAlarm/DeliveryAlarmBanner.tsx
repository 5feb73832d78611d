import When from 'src/components/When/When'

import type { DeliveryAlarmState } from './useDeliveryAlarm'

/** The stalled-delivery alarm for staff: what is wrong and its likely causes. */
const DeliveryAlarmBanner = ({ alarm }: { alarm: DeliveryAlarmState | null }) => {
  if (!alarm) return null
  return (
    <section
      aria-labelledby="delivery-alarm-title"
      aria-live="polite"
      data-alarm="active"
      className="border-b border-amber-300 bg-amber-50 text-amber-950"
    >
      <div className="mx-auto max-w-6xl px-4 py-3 text-sm">
        <h2 id="delivery-alarm-title" className="font-semibold">
          Delivery reports have stalled
        </h2>
        {alarm.summary && <p>{alarm.summary}</p>}
        {alarm.lastCallbackAt && (
          <p className="text-amber-900">
            Last callback stored <When at={alarm.lastCallbackAt} relative />.
          </p>
        )}
        {alarm.causes.length > 0 && (
          <>
            <p className="mt-1 font-medium">Likely causes</p>
            <ul className="list-disc pl-5">
              {alarm.causes.map((cause) => (
                <li key={cause}>{cause}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  )
}

export default DeliveryAlarmBanner
