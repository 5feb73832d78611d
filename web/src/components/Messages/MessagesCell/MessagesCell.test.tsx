import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import MessagesCell from 'src/components/Messages/MessagesCell'

import { Empty, Failure, Loading, Success } from './MessagesCell'
import { standard } from './MessagesCell.mock'

describe('MessagesCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading messages…')).toBeInTheDocument()
  })

  it('shows an empty state that links to compose', () => {
    render(<Empty />)
    expect(screen.getByText('No messages here yet.')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Compose one' })).toHaveAttribute('href', '/compose')
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load messages: Boom')
  })

  it('lists each message with a link, its recipients and per-status counts', () => {
    render(<Success {...standard()} />)

    const first = screen.getByRole('link', { name: /Your parcel arrives today/ })
    expect(first).toHaveAttribute('href', '/messages/msg-1')
    expect(first).toHaveTextContent('3 recipients · SMS · from DeskCo · by ops@example.com · ref order-42')
    expect(first).not.toHaveTextContent('not accepted by Sinch')
    expect(screen.getByRole('img', { name: '2 Delivered, 1 Failed' })).toBeInTheDocument()

    const second = screen.getByRole('link', { name: /Maintenance window tonight/ })
    expect(second).toHaveAttribute('href', '/messages/msg-2')
    expect(second).toHaveTextContent('1 recipient · SMS · not accepted by Sinch')
    expect(second).not.toHaveTextContent('from')
    expect(screen.getByRole('img', { name: '1 Pending' })).toBeInTheDocument()
  })

  it('offers older messages with the next cursor', () => {
    const onNext = jest.fn()
    render(<Success {...standard()} onNext={onNext} />)
    fireEvent.click(screen.getByRole('button', { name: 'Older messages' }))
    expect(onNext).toHaveBeenCalledWith('cursor-after-msg-2')
  })

  it('hides the older-messages button on the last page', () => {
    const data = standard()
    render(<Success messages={{ ...data.messages, nextCursor: null }} onNext={jest.fn()} />)
    expect(screen.queryByRole('button', { name: 'Older messages' })).not.toBeInTheDocument()
  })

  it('shows the empty state when the page has no messages', async () => {
    mockGraphQLQuery('MessagesQuery', () => ({ messages: { __typename: 'MessagePage', nextCursor: null, items: [] } }))
    render(<MessagesCell />)
    expect(await screen.findByText('No messages here yet.')).toBeInTheDocument()
  })

  it('renders the mocked messages through the query', async () => {
    mockGraphQLQuery('MessagesQuery', standard)
    render(<MessagesCell />)
    expect(await screen.findByRole('link', { name: /Your parcel arrives today/ })).toHaveAttribute(
      'href',
      '/messages/msg-1'
    )
  })
})
