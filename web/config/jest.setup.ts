/**
 * Set-up shared by every web test (after Redwood's own, see web/jest.config.js).
 */
import { DELIVERY_STATUS_CATALOG } from '../../api/src/lib/deliveryStatusCatalog'
import { MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH } from '../../api/src/lib/searchLimits'

// Under jest, Redwood 8's CommonJS build of '@redwoodjs/web/toast' exports the whole
// react-hot-toast module as `toast`, so toast.success is undefined
// (https://github.com/redwoodjs/graphql/issues/11738). The browser build is fine.
jest.mock('@redwoodjs/web/toast', () => {
  const actual = jest.requireActual('@redwoodjs/web/toast')
  return { ...actual, toast: actual.toast.toast ?? actual.toast }
})

// react-hot-toast asks matchMedia about reduced motion; jsdom has none.
window.matchMedia ??= (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  }) as MediaQueryList

// Badges, bars and status filters read the statuses from the api (useDeliveryStatuses).
// Every test gets the api's own list, so the web's tests cannot drift from it.
// Registered before Redwood starts its mock server, so it survives the per-test reset.
mockGraphQLQuery('DeliveryStatusesQuery', () => ({
  deliveryStatuses: DELIVERY_STATUS_CATALOG.map((s) => ({ __typename: 'DeliveryStatusInfo', ...s })),
}))

// Search boxes read their limits from the api (useSearchLimits): the api's own.
mockGraphQLQuery('SearchLimitsQuery', () => ({
  searchLimits: { __typename: 'SearchLimits', minLength: MIN_SEARCH_LENGTH, maxLength: MAX_SEARCH_LENGTH },
}))
