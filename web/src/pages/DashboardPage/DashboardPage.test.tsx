import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard } from 'src/components/Dashboard/DeliveryStatsCell/DeliveryStatsCell.mock'

import DashboardPage from './DashboardPage'

/** Every DeliveryStatsQuery the page sends; each answers "nothing sent" (no chart to draw in jsdom). */
function recordStats() {
  const asked: { from: string; to: string }[] = []
  mockGraphQLQuery('DeliveryStatsQuery', (variables) => {
    asked.push(variables as { from: string; to: string })
    return { deliveryStats: { ...standard().deliveryStats, totalRecipients: 0 } }
  })
  return asked
}

const localMidnight = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString()

// A limit unlike the api's real one (366): the page must take it from the api, not from a constant of its own.
beforeEach(() => mockGraphQLQuery('DeliveryStatsLimitsQuery', () => ({ deliveryStatsLimits: { maxPeriodDays: 30 } })))

describe('DashboardPage', () => {
  it('asks for the last 7 days, then for a custom period once it is right, never while it is wrong', async () => {
    const asked = recordStats()
    render(<DashboardPage />)
    await waitFor(() => expect(asked).toHaveLength(1))
    expect(screen.getByRole('radio', { name: 'Last 7 days' })).toBeChecked()

    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }))
    expect(screen.getByRole('radio', { name: 'Custom' })).toBeChecked()
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-01-01' } })
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2025-03-01' } })
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose at most 30 days.')
    expect(screen.getByText('No statistics until the period is right.')).toBeInTheDocument()

    // A first day after the last one is wrong too, and said as soon as the first day changes.
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2025-01-20' } })
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument())
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-02-01' } })
    expect(await screen.findByRole('alert')).toHaveTextContent('The last day must not be before the first day.')

    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-01-10' } })
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument())
    await waitFor(() =>
      expect(asked[asked.length - 1]).toMatchObject({
        from: localMidnight(2025, 1, 10),
        to: localMidnight(2025, 1, 21),
      })
    )
    // Nothing wrong was ever asked for: the first custom period asked is 1 to 20 January (a right one).
    const custom = asked.slice(1).map((v) => [v.from, v.to])
    expect(custom).not.toContainEqual([localMidnight(2025, 1, 1), localMidnight(2025, 3, 2)])
    expect(custom).not.toContainEqual([localMidnight(2025, 2, 1), localMidnight(2025, 1, 21)])
  })
})
