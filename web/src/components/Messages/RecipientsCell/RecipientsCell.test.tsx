import { fireEvent, render, screen, within } from '@redwoodjs/testing/web'

import { Empty, Failure, Loading, Success } from './RecipientsCell'
import { standard } from './RecipientsCell.mock'

const rowFor = (phone: string) => screen.getByRole('button', { name: phone }).closest('tr') as HTMLElement

describe('RecipientsCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading recipients…')).toBeInTheDocument()
  })

  it('says when there are no recipients', () => {
    render(<Empty />)
    expect(screen.getByText('No recipients.')).toBeInTheDocument()
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load recipients: Boom')
  })

  it('shows each recipient with status, code meaning and time to deliver', () => {
    render(<Success id="msg-1" {...standard()} />)

    expect(screen.getByText('3 recipients match')).toBeInTheDocument()
    expect(screen.getAllByRole('row')).toHaveLength(4) // header + 3

    const delivered = within(rowFor('+46701234567')).getAllByRole('cell')
    expect(delivered[1]).toHaveTextContent('Delivered')
    expect(within(delivered[1]).getByText('Delivered')).toHaveAttribute('title', 'Delivered to the handset')
    expect(delivered[2]).toHaveTextContent('Delivered: no error')
    expect(delivered[3]).toHaveTextContent('4.2 s')

    const failed = within(rowFor('+46709876543')).getAllByRole('cell')
    expect(failed[1]).toHaveTextContent('Failed')
    expect(failed[2]).toHaveTextContent('Unroutable: the operator refused it; retrying will probably fail the same way')
    expect(failed[3]).toHaveTextContent('—')

    // No code yet: the status meaning stands in.
    const pending = within(rowFor('+46700000001')).getAllByRole('cell')
    expect(pending[1]).toHaveTextContent('Pending')
    expect(pending[2]).toHaveTextContent('Saved here; no report from Sinch yet')
  })

  it('shows the reason the desk gave for a status (reconciliation gave up) instead of the meaning', () => {
    const { message } = standard()
    const unknown = {
      ...message.recipients.items[2],
      status: 'Unknown',
      statusMeaning: 'Reached the operator, but no usable delivery receipt came back',
      isFinal: true,
      isFailure: true,
      statusReason: 'No delivery report from the operator after 3 checks with Sinch (last status Dispatched 401)',
    }
    render(<Success id="msg-1" message={{ ...message, recipients: { ...message.recipients, items: [unknown] } }} />)
    const cells = within(rowFor('+46700000001')).getAllByRole('cell')
    expect(cells[1]).toHaveTextContent('Unknown')
    expect(cells[2]).toHaveTextContent(
      'No delivery report from the operator after 3 checks with Sinch (last status Dispatched 401)'
    )
  })

  it('marks the selected recipient and reports clicks', () => {
    const onSelect = jest.fn()
    render(<Success id="msg-1" {...standard()} selectedId={102} onSelect={onSelect} />)

    expect(screen.getByRole('button', { name: '+46709876543' })).toHaveAttribute('aria-expanded', 'true')
    expect(screen.getByRole('button', { name: '+46701234567' })).toHaveAttribute('aria-expanded', 'false')

    fireEvent.click(screen.getByRole('button', { name: '+46701234567' }))
    expect(onSelect).toHaveBeenCalledWith(101)
  })

  it('pages on with the next cursor', () => {
    const onNext = jest.fn()
    render(<Success id="msg-1" {...standard()} onNext={onNext} />)
    fireEvent.click(screen.getByRole('button', { name: 'Next recipients' }))
    expect(onNext).toHaveBeenCalledWith(103)
  })

  it('uses the singular for one match and hides paging on the last page', () => {
    const { message } = standard()
    render(
      <Success
        id="msg-1"
        message={{
          ...message,
          recipients: {
            ...message.recipients,
            total: 1,
            nextCursor: null,
            items: message.recipients.items.slice(0, 1),
          },
        }}
        onNext={jest.fn()}
      />
    )
    expect(screen.getByText('1 recipient match')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Next recipients' })).not.toBeInTheDocument()
  })
})
