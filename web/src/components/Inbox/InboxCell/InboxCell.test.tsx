import { render, screen, within } from '@redwoodjs/testing/web'

import { Empty, Success } from './InboxCell'
import { standard } from './InboxCell.mock'

describe('InboxCell', () => {
  it('lists conversations with unread counts, unanswered and opt-out marks, each linking to its thread', () => {
    const next: string[] = []
    render(<Success {...standard()} onNext={(c: string) => next.push(c)} />)
    const items = within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem')
    expect(items.map((li) => li.getAttribute('data-conversation'))).toEqual([
      'WHATSAPP:+12025550441',
      'SMS:+12025550100',
    ])
    expect(within(items[0]).getByTestId('unread')).toHaveTextContent('2')
    expect(items[0]).toHaveTextContent('WhatsApp')
    expect(items[0]).toHaveTextContent('Unanswered')
    expect(items[0]).toHaveTextContent('Yes, that works')
    expect(within(items[0]).getByRole('link')).toHaveAttribute('href', '/contacts/+12025550441?channel=WHATSAPP')
    expect(within(items[1]).queryByTestId('unread')).not.toBeInTheDocument()
    expect(items[1]).toHaveTextContent('Opted out')
    screen.getByRole('button', { name: 'Older conversations' }).click()
    expect(next).toEqual(['next-page'])
  })

  it('the empty state follows the filter and the search', () => {
    const { rerender } = render(<Empty />)
    expect(screen.getByText(/No replies yet/)).toBeInTheDocument()
    rerender(<Empty unansweredOnly />)
    expect(screen.getByText('Every conversation has been answered.')).toBeInTheDocument()
    rerender(<Empty search="0123" unansweredOnly />)
    expect(screen.getByText('No conversation matches “0123” among the unanswered.')).toBeInTheDocument()
  })
})
