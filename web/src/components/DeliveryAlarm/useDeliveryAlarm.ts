import { useQuery } from '@redwoodjs/web'

import { useLiveEvents } from 'src/components/Live/useLiveEvents'

export const DELIVERY_ALARM_QUERY = gql`
  query DeliveryAlarmQuery {
    deliveryAlarm {
      active
      stalled
      refusedTooMany
      summary
      causes
      lastCallbackAt
    }
  }
`

export type DeliveryAlarmState = {
  active: boolean
  summary: string | null
  causes: string[]
  lastCallbackAt: string | null
}

/**
 * The stalled-delivery alarm, asked again when the api announces that it
 * changed (every api instance checks it every ALARM_POLL_SECONDS and tells
 * the browsers when it sees a change; README "Live updates"), and when the
 * live connection reopens. Nothing polls. Errors show nothing: the page
 * itself already tells when the api cannot be reached.
 */
export function useDeliveryAlarm(): DeliveryAlarmState | null {
  const { data } = useQuery(DELIVERY_ALARM_QUERY, {
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: false,
  })
  useLiveEvents(['alarm'], [DELIVERY_ALARM_QUERY])
  const alarm = data?.deliveryAlarm
  if (!alarm?.active) return null
  return {
    active: true,
    summary: alarm.summary ?? null,
    causes: alarm.causes,
    lastCallbackAt: alarm.lastCallbackAt ?? null,
  }
}
