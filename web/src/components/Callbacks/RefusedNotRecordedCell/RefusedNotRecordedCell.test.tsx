import { render, screen } from '@redwoodjs/testing/web'

import { isEmpty, Success } from './RefusedNotRecordedCell'

const data = {
  refusedCallbacksNotRecorded: {
    perAddressPerHour: 100,
    totalNotRecorded: 4900,
    addresses: [
      {
        clientAddress: '203.0.113.66',
        refused: 5000,
        recorded: 100,
        notRecorded: 4900,
        lastHour: '2026-12-01T10:00:00Z',
      },
    ],
  },
}

describe('RefusedNotRecordedCell', () => {
  it('says how many refusals were counted without a row, per address, and why', () => {
    render(<Success {...data} />)
    const section = screen.getByRole('region', { name: 'Refused callbacks not recorded' })
    expect(section).toHaveTextContent('4,900 more refused callbacks were counted but not listed')
    expect(section).toHaveTextContent('at most 100 rows an hour')
    expect(screen.getByRole('listitem')).toHaveTextContent('203.0.113.66: 4,900 not listed of 5,000 refused')
  })

  it('shows nothing when every refusal was recorded', () => {
    expect(
      isEmpty({
        refusedCallbacksNotRecorded: { ...data.refusedCallbacksNotRecorded, totalNotRecorded: 0, addresses: [] },
      })
    ).toBe(true)
    expect(isEmpty(data)).toBe(false)
  })
})
