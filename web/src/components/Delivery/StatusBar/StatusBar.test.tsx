import { render, screen, waitFor } from '@redwoodjs/testing/web'

import StatusBar from './StatusBar'

describe('StatusBar', () => {
  const counts = [
    { status: 'Delivered', count: 6 },
    { status: 'Failed', count: 2 },
    { status: 'Queued', count: 2 },
  ]

  it('spells out the count per status, for sight and for screen readers', () => {
    render(<StatusBar counts={counts} total={10} />)
    expect(screen.getByRole('img', { name: '6 Delivered, 2 Failed, 2 Queued' })).toBeInTheDocument()
    expect(screen.getByText('6 Delivered, 2 Failed, 2 Queued')).toBeInTheDocument()
  })

  it('sizes each segment by its share of the total, coloured by what the api says the status means', async () => {
    render(<StatusBar counts={counts} total={10} />)
    const segments = screen.getByRole('img').firstElementChild!.children
    expect(segments).toHaveLength(3)
    expect(segments[0]).toHaveStyle({ width: '60%' })
    await waitFor(() => expect(segments[0]).toHaveClass('bg-emerald-500'))
    expect(segments[1]).toHaveStyle({ width: '20%' })
    expect(segments[1]).toHaveClass('bg-rose-500')
    expect(segments[2]).toHaveClass('bg-sky-500')
  })

  it("names WhatsApp statuses as the api labels them, not in the Conversation API's capitals", async () => {
    render(
      <StatusBar
        counts={[
          { status: 'READ', count: 3 },
          { status: 'QUEUED_ON_CHANNEL', count: 1 },
        ]}
        total={4}
      />
    )
    await waitFor(() => expect(screen.getByRole('img', { name: '3 Read, 1 Queued on channel' })).toBeInTheDocument())
  })

  it('says there are no recipients when there is nothing to count', () => {
    render(<StatusBar counts={[]} total={0} />)
    expect(screen.getByRole('img', { name: 'no recipients' })).toBeInTheDocument()
  })
})
