import type { DeliveryStatusesQuery, DeliveryStatusesQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const DELIVERY_STATUSES: TypedDocumentNode<DeliveryStatusesQuery, DeliveryStatusesQueryVariables> = gql`
  query DeliveryStatusesQuery {
    deliveryStatuses {
      status
      label
      channel
      meaning
      isFinal
      isFailure
      isDelivered
      outcome
    }
  }
`

export type DeliveryStatus = DeliveryStatusesQuery['deliveryStatuses'][number]

/**
 * Every recipient status the api knows (names, channel, finality, failure,
 * outcome): the web keeps no list of its own. Asked once per session; after
 * that Apollo's cache answers. Empty until the first answer arrives.
 */
export function useDeliveryStatuses(): readonly DeliveryStatus[] {
  const { data } = useQuery(DELIVERY_STATUSES, { fetchPolicy: 'cache-first' })
  return data?.deliveryStatuses ?? []
}

/** How staff read a status (the api's label: "Queued on channel", not QUEUED_ON_CHANNEL); the name itself while loading. */
export function useStatusLabel(): (status: string) => string {
  const statuses = useDeliveryStatuses()
  return (status) => statuses.find((s) => s.status === status)?.label ?? status
}

/** One status as the api describes it; undefined while loading or for a status the api does not know. */
export function useDeliveryStatus(status: string): DeliveryStatus | undefined {
  return useDeliveryStatuses().find((s) => s.status === status)
}
