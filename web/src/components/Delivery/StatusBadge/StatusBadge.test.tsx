import { render, screen, waitFor } from '@redwoodjs/testing/web'

import StatusBadge from './StatusBadge'

// The statuses come from the api's deliveryStatuses query (mocked for every test in
// web/config/jest.setup.ts with the api's own list).
describe('StatusBadge', () => {
  it('shows the status with its meaning as a tooltip', () => {
    render(<StatusBadge status="Delivered" title="Delivered to the handset" />)
    const badge = screen.getByText('Delivered')
    expect(badge).toHaveAttribute('title', 'Delivered to the handset')
    expect(badge).toHaveAttribute('data-status', 'Delivered')
  })

  it("takes the api's meaning as the tooltip when none is given", async () => {
    render(<StatusBadge status="Cancelled" />)
    await waitFor(() =>
      expect(screen.getByText('Cancelled')).toHaveAttribute('title', 'Cancelled before it reached the operator')
    )
  })

  it.each([
    ['Delivered', 'bg-emerald-100'],
    ['READ', 'bg-emerald-100'],
    ['DELIVERED', 'bg-emerald-100'],
    ['Dispatched', 'bg-sky-100'],
    ['SWITCHING_CHANNEL', 'bg-sky-100'],
    ['Pending', 'bg-slate-100'],
    ['Unknown', 'bg-amber-100'],
    ['Failed', 'bg-rose-100'],
    ['Expired', 'bg-rose-100'],
    ['Cancelled', 'bg-rose-100'],
    ['Deleted', 'bg-rose-100'],
    ['FAILED', 'bg-rose-100'],
  ])('colours %s as %s, as the api classifies it', async (status, tone) => {
    const { container } = render(<StatusBadge status={status} />)
    await waitFor(() => expect(container.querySelector(`[data-status="${status}"]`)).toHaveClass(tone))
  })

  it("reads the Conversation API's capitals in sentence case, as the api labels them", async () => {
    const { container } = render(
      <>
        <StatusBadge status="QUEUED_ON_CHANNEL" />
        <StatusBadge status="READ" />
      </>
    )
    await waitFor(() =>
      expect(screen.getByText('Queued on channel')).toHaveAttribute('data-status', 'QUEUED_ON_CHANNEL')
    )
    expect(screen.getByText('Read')).toHaveAttribute('data-status', 'READ')
    expect(container).not.toHaveTextContent(/QUEUED_ON_CHANNEL|READ/)
  })

  it('shows a status the api does not know neutral, not as a failure', async () => {
    render(
      <>
        <StatusBadge status="Failed" />
        <StatusBadge status="Rerouted" />
      </>
    )
    await waitFor(() => expect(screen.getByText('Failed')).toHaveClass('bg-rose-100'))
    expect(screen.getByText('Rerouted')).toHaveClass('bg-white')
    expect(screen.getByText('Rerouted')).not.toHaveClass('bg-rose-100')
  })
})
