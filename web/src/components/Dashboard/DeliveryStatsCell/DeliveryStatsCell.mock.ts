import type { DeliveryStatsQuery } from 'types/graphql'

const hour = (h: number) => new Date(Date.UTC(2025, 2, 1, h)).toISOString()

/** One UTC day by hour: three busy hours out of 24. */
export const standard = (/* vars, { ctx, req } */) =>
  ({
    deliveryStats: {
      __typename: 'DeliveryStats',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-02T00:00:00.000Z',
      timeZone: 'UTC',
      bucketSize: 'HOUR',
      totalRecipients: 20,
      final: 17,
      delivered: 8,
      failed: 9,
      inFlight: 3,
      deliveryRate: 8 / 17,
      medianTimeToDeliverMs: 3500,
      p95TimeToDeliverMs: 8600,
      timedDeliveries: 8,
      finalStatusCounts: [
        { __typename: 'StatusCount', status: 'Delivered', count: 8 },
        { __typename: 'StatusCount', status: 'Failed', count: 5 },
        { __typename: 'StatusCount', status: 'Expired', count: 2 },
        { __typename: 'StatusCount', status: 'Unknown', count: 2 },
      ],
      topFailureCodes: [
        {
          __typename: 'FailureCodeCount',
          code: 402,
          name: 'Message unroutable',
          meaning: 'Unroutable: the operator refused it; retrying will probably fail the same way',
          count: 5,
        },
        {
          __typename: 'FailureCodeCount',
          code: null,
          name: null,
          meaning: 'The failure report carried no code',
          count: 2,
        },
        {
          __typename: 'FailureCodeCount',
          code: 406,
          name: 'Internal expiry',
          meaning: 'Expired inside Sinch before reaching the operator',
          count: 2,
        },
      ],
      series: Array.from({ length: 24 }, (_, h) => ({
        __typename: 'DeliveryStatsBucket' as const,
        start: hour(h),
        delivered: h === 10 ? 5 : h === 12 ? 3 : 0,
        failed: h === 10 ? 4 : h === 12 ? 3 : h === 0 ? 2 : 0,
        inFlight: h === 12 ? 2 : h === 0 ? 1 : 0,
      })),
    },
  }) satisfies DeliveryStatsQuery
