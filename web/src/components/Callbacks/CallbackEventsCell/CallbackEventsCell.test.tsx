import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import CallbackEventsCell from 'src/components/Callbacks/CallbackEventsCell'
import { formatDateTime } from 'src/lib/formatTime'
import { signInAs } from 'src/lib/testing/staff'

import { describeReprocess, Empty, Failure, Loading, Success } from './CallbackEventsCell'
import { standard } from './CallbackEventsCell.mock'

describe('CallbackEventsCell', () => {
  beforeEach(() => signInAs('admin'))

  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading callbacks…')).toBeInTheDocument()
  })

  it('explains how to get a first callback when there is none', () => {
    render(<Empty />)
    expect(screen.getByText(/No callback has reached/)).toHaveTextContent(
      'No callback has reached /api/sinchCallbacks yet. Send a message, or post one with yarn send-callback.'
    )
  })

  it('says nothing matches when a filter is set, and offers to clear it', () => {
    const clear = jest.fn()
    render(<Empty onClearFilters={clear} />)
    expect(screen.getByText(/No callback matches these filters/)).toBeInTheDocument()
    expect(screen.queryByText(/No callback has reached/)).not.toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'Clear the filters' }))
    expect(clear).toHaveBeenCalled()
  })

  it("names each callback's recipient and status, linked to its message", () => {
    render(<Success {...standard()} />)
    const [accepted, rejected] = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-verdict'))
    const reports = within(accepted).getByRole('list', { name: 'Reports in this callback' })
    expect(reports).toHaveTextContent('+46701234567')
    expect(within(reports).getByText('Delivered')).toHaveAttribute('data-status', 'Delivered')
    expect(within(reports).getByRole('link', { name: 'message' })).toHaveAttribute('href', '/messages/msg-1')
    expect(within(rejected).queryByRole('list', { name: 'Reports in this callback' })).not.toBeInTheDocument()
  })

  it('speaks no developer words to staff: no command, no batch ids', () => {
    signInAs('viewer')
    const { container } = render(<Empty />)
    expect(container).toHaveTextContent('No delivery report from Sinch yet.')
    expect(container).not.toHaveTextContent(/yarn|\/api\//)
    render(<Success {...standard()} />)
    expect(screen.getAllByRole('listitem')[0]).not.toHaveTextContent('batch')
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load callbacks: Boom')
  })

  it('shows each callback with verdict, outcome, body and headers', () => {
    render(<Success {...standard()} />)
    const [accepted, rejected] = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-verdict'))

    expect(within(accepted).getByText('accepted')).toBeInTheDocument()
    expect(accepted).toHaveTextContent('recipient_delivery_report_sms')
    expect(accepted).toHaveTextContent('batch 01HXBATCH0000000000000001')
    expect(accepted).toHaveTextContent('processed')
    expect(accepted).toHaveTextContent('2 reports stored')
    expect(within(accepted).getByText('Body and headers (verified with secret primary)')).toBeInTheDocument()
    expect(
      within(accepted).getByText('{"type":"recipient_delivery_report_sms","status":"Delivered","code":0}')
    ).toBeInTheDocument()
    expect(within(accepted).getByText(/"x-sinch-webhook-signature-nonce": "nonce-9"/)).toBeInTheDocument()
    expect(within(accepted).getByText(formatDateTime('2024-05-01T10:00:04.000Z'))).toHaveAttribute(
      'datetime',
      '2024-05-01T10:00:04.000Z'
    )

    // Verdict and processing state are both "rejected" here.
    expect(within(rejected).getAllByText('rejected')).toHaveLength(2)
    expect(rejected).toHaveTextContent('Body is not valid JSON')
    expect(rejected).not.toHaveTextContent('batch')
    expect(rejected).not.toHaveTextContent('stored')
    expect(within(rejected).getByText('Body and headers')).toBeInTheDocument()
    expect(within(rejected).getByText('not json')).toBeInTheDocument()
  })

  it('offers Re-process only on unmatched and failed callbacks, and says what it did', async () => {
    const { callbackEvents } = standard()
    const unmatched = { ...callbackEvents.items[0], id: 12, processingState: 'UNMATCHED' as const, reportsStored: 1 }
    const failed = {
      ...callbackEvents.items[1],
      id: 11,
      processingState: 'FAILED' as const,
      error: 'processing failed, answered 500 so Sinch retries',
    }
    const asked = jest.fn()
    mockGraphQLMutation('ReprocessCallbackMutation', ({ id }) => {
      asked(id)
      return {
        reprocessCallback: {
          __typename: 'ReprocessResult',
          callbackEventId: id,
          processingState: 'PROCESSED',
          stored: 0,
          duplicates: 0,
          attached: 1,
          unmatched: 0,
          error: null,
        },
      }
    })
    render(
      <>
        <Toaster />
        <Success callbackEvents={{ ...callbackEvents, items: [unmatched, failed, ...callbackEvents.items] }} />
      </>
    )
    const items = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-verdict'))
    expect(within(items[0]).getByRole('button', { name: 'Re-process' })).toBeInTheDocument()
    expect(within(items[1]).getByRole('button', { name: 'Re-process' })).toBeInTheDocument()
    expect(within(items[2]).queryByRole('button', { name: 'Re-process' })).not.toBeInTheDocument()
    expect(within(items[3]).queryByRole('button', { name: 'Re-process' })).not.toBeInTheDocument()

    fireEvent.click(within(items[0]).getByRole('button', { name: 'Re-process' }))
    expect(await screen.findByText('Callback 12 re-processed: 1 attached to its message.')).toBeInTheDocument()
    await waitFor(() => expect(asked).toHaveBeenCalledWith(12))
  })

  it('describes a re-processing outcome in words', () => {
    const base = {
      __typename: 'ReprocessResult' as const,
      callbackEventId: 5,
      processingState: 'PROCESSED' as const,
      stored: 1,
      duplicates: 0,
      attached: 0,
      unmatched: 0,
      error: null,
    }
    expect(describeReprocess(base)).toBe('Callback 5 re-processed: 1 stored.')
    expect(describeReprocess({ ...base, stored: 0, duplicates: 1 })).toBe('Callback 5 re-processed: 1 already stored.')
    expect(describeReprocess({ ...base, processingState: 'UNMATCHED', stored: 0, duplicates: 1, unmatched: 1 })).toBe(
      'Callback 5: still no message for it (1 already stored).'
    )
    expect(describeReprocess({ ...base, processingState: 'FAILED', stored: 0, error: 'bad body' })).toBe(
      'Callback 5 could not be re-processed: bad body'
    )
  })

  it('uses the singular for one stored report', () => {
    const { callbackEvents } = standard()
    render(
      <Success callbackEvents={{ ...callbackEvents, items: [{ ...callbackEvents.items[0], reportsStored: 1 }] }} />
    )
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
    mockGraphQLQuery('CallbackEventsQuery', () => ({
      callbackEvents: { __typename: 'CallbackEventPage', nextCursor: null, items: [] },
    }))
    render(<CallbackEventsCell />)
    expect(await screen.findByText(/No callback has reached/)).toBeInTheDocument()
  })

  it('renders the mocked callbacks through the query', async () => {
    mockGraphQLQuery('CallbackEventsQuery', standard)
    render(<CallbackEventsCell />)
    expect(await screen.findByText('Body is not valid JSON')).toBeInTheDocument()
  })
})
