import { useQuery } from '@redwoodjs/web'

export const DELIVERY_ALARM_QUERY = gql`
  query DeliveryAlarmQuery {
    deliveryAlarm {
      active
      stalled
      refusedTooMany
      summary
      causes
      lastCallbackAt
      checkAgainSeconds
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
 * The stalled-delivery alarm, asked again every checkAgainSeconds (the api
 * says how often; 30 s unless configured). Errors show nothing: the page
 * itself already tells when the api cannot be reached.
 */
export function useDeliveryAlarm(): DeliveryAlarmState | null {
  const { data, startPolling } = useQuery(DELIVERY_ALARM_QUERY, {
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: false,
    onCompleted: (d) => startPolling(Math.max(1, d?.deliveryAlarm?.checkAgainSeconds ?? 30) * 1000),
  })
  const alarm = data?.deliveryAlarm
  if (!alarm?.active) return null
  return {
    active: true,
    summary: alarm.summary ?? null,
    causes: alarm.causes,
    lastCallbackAt: alarm.lastCallbackAt ?? null,
  }
}
