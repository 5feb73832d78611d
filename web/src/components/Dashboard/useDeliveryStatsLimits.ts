import type { DeliveryStatsLimitsQuery, DeliveryStatsLimitsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const DELIVERY_STATS_LIMITS: TypedDocumentNode<DeliveryStatsLimitsQuery, DeliveryStatsLimitsQueryVariables> =
  gql`
    query DeliveryStatsLimitsQuery {
      deliveryStatsLimits {
        maxPeriodDays
      }
    }
  `

/**
 * The longest period deliveryStats takes, as the api enforces it (asked once,
 * then Apollo's cache answers). Null while loading: the api still judges.
 */
export function useDeliveryStatsLimits() {
  const { data } = useQuery(DELIVERY_STATS_LIMITS, { fetchPolicy: 'cache-first' })
  return data?.deliveryStatsLimits ?? null
}
