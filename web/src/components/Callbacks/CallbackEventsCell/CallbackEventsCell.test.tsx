import { fireEvent, render, screen, within } from '@redwoodjs/testing/web'

import CallbackEventsCell from 'src/components/Callbacks/CallbackEventsCell'

import { Empty, Failure, Loading, Success } from './CallbackEventsCell'
import { standard } from './CallbackEventsCell.mock'

describe('CallbackEventsCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading callbacks…')).toBeInTheDocument()
  })

  it('explains how to get a first callback when there is none', () => {
    render(<Empty />)
    expect(screen.getByText(/No callback has reached/)).toHaveTextContent('No callback has reached /api/sinchCallbacks yet. Send a message, or post one with yarn send-callback.')
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load callbacks: Boom')
  })

  it('shows each callback with verdict, outcome, body and headers', () => {
    render(<Success {...standard()} />)
    const [accepted, rejected] = screen.getAllByRole('listitem')

    expect(within(accepted).getByText('accepted')).toBeInTheDocument()
    expect(accepted).toHaveTextContent('recipient_delivery_report_sms')
    expect(accepted).toHaveTextContent('batch 01HXBATCH0000000000000001')
    expect(accepted).toHaveTextContent('processed')
    expect(accepted).toHaveTextContent('2 reports stored')
    expect(within(accepted).getByText('Body and headers (verified with secret primary)')).toBeInTheDocument()
    expect(within(accepted).getByText('{"type":"recipient_delivery_report_sms","status":"Delivered","code":0}')).toBeInTheDocument()
    expect(within(accepted).getByText(/"x-sinch-webhook-signature-nonce": "nonce-9"/)).toBeInTheDocument()
    expect(within(accepted).getByText(new Date('2024-05-01T10:00:04.000Z').toLocaleString())).toHaveAttribute('datetime', '2024-05-01T10:00:04.000Z')

    // Verdict and processing state are both "rejected" here.
    expect(within(rejected).getAllByText('rejected')).toHaveLength(2)
    expect(rejected).toHaveTextContent('Body is not valid JSON')
    expect(rejected).not.toHaveTextContent('batch')
    expect(rejected).not.toHaveTextContent('stored')
    expect(within(rejected).getByText('Body and headers')).toBeInTheDocument()
    expect(within(rejected).getByText('not json')).toBeInTheDocument()
  })

  it('uses the singular for one stored report', () => {
    const { callbackEvents } = standard()
    render(<Success callbackEvents={{ ...callbackEvents, items: [{ ...callbackEvents.items[0], reportsStored: 1 }] }} />)
    expect(screen.getByText('1 report stored')).toBeInTheDocument()
  })

  it('pages to older callbacks with the next cursor, and not past the last page', () => {
    const onNext = jest.fn()
    const { callbackEvents } = standard()
    const { rerender } = render(<Success callbackEvents={callbackEvents} onNext={onNext} />)
    fireEvent.click(screen.getByRole('button', { name: 'Older callbacks' }))
    expect(onNext).toHaveBeenCalledWith(7)

    rerender(<Success callbackEvents={{ ...callbackEvents, nextCursor: null }} onNext={onNext} />)
    expect(screen.queryByRole('button', { name: 'Older callbacks' })).not.toBeInTheDocument()
  })

  it('shows the empty state when no callback has arrived', async () => {
    mockGraphQLQuery('CallbackEventsQuery', () => ({ callbackEvents: { __typename: 'CallbackEventPage', nextCursor: null, items: [] } }))
    render(<CallbackEventsCell />)
    expect(await screen.findByText(/No callback has reached/)).toBeInTheDocument()
  })

  it('renders the mocked callbacks through the query', async () => {
    mockGraphQLQuery('CallbackEventsQuery', standard)
    render(<CallbackEventsCell />)
    expect(await screen.findByText('Body is not valid JSON')).toBeInTheDocument()
  })
})
