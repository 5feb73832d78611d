import { fireEvent, render, screen, within } from '@redwoodjs/testing/web'

import CallbackRejectionsCell from 'src/components/Callbacks/CallbackRejectionsCell'
import { formatDateTime } from 'src/lib/formatTime'

import { describeSkew, Empty, Failure, Loading, seenUrl, Success } from './CallbackRejectionsCell'
import { standard } from './CallbackRejectionsCell.mock'

describe('CallbackRejectionsCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading refused callbacks…')).toBeInTheDocument()
  })

  it('says when nothing was refused', () => {
    render(<Empty />)
    expect(screen.getByText('No callback has been refused (401) in the last 7 days.')).toBeInTheDocument()
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load refused callbacks: Boom')
  })

  it('shows why each callback was refused and how the request was seen', () => {
    render(<Success {...standard()} />)
    const [mismatch, stale] = screen.getAllByRole('listitem')

    expect(mismatch).toHaveAttribute('data-reason', 'signature_mismatch')
    expect(within(mismatch).getByText('signature_mismatch')).toBeInTheDocument()
    expect(
      within(mismatch).getByText('signature matches none of the configured secrets (current, previous)')
    ).toBeInTheDocument()
    expect(within(mismatch).getByText('POST https://abc123.ngrok-free.app/sinchCallbacks')).toBeInTheDocument()
    expect(within(mismatch).getByText('Host').nextSibling).toHaveTextContent('127.0.0.1:8911')
    expect(within(mismatch).getByText('X-Forwarded-Proto').nextSibling).toHaveTextContent('https')
    expect(within(mismatch).getByText('X-Forwarded-Host').nextSibling).toHaveTextContent('abc123.ngrok-free.app')
    expect(within(mismatch).getByText('Secrets tried').nextSibling).toHaveTextContent(
      'current (sha256:1a2b3c4d), previous (sha256:5e6f7a8b)'
    )
    expect(within(mismatch).queryByText('Timestamp skew')).not.toBeInTheDocument()
    expect(within(mismatch).getByText('Body (first 500 characters of 180 bytes) and details')).toBeInTheDocument()
    expect(
      within(mismatch).getByText('{"type":"recipient_delivery_report_sms","batch_id":"01HXBATCH"}')
    ).toBeInTheDocument()
    expect(within(mismatch).getByText(formatDateTime('2024-05-01T10:00:04.000Z'))).toHaveAttribute(
      'datetime',
      '2024-05-01T10:00:04.000Z'
    )

    expect(within(stale).getByText('timestamp 412s in the past (window ±300s)')).toBeInTheDocument()
    expect(within(stale).getByText('Timestamp skew').nextSibling).toHaveTextContent(
      '412 s behind our clock (window ±300 s)'
    )
    expect(within(stale).getByText('POST http://desk.example.com/sinchCallbacks?token=…')).toBeInTheDocument()
    expect(within(stale).getByText('X-Forwarded-Proto').nextSibling).toHaveTextContent('—')
    expect(within(stale).queryByText('Secrets tried')).not.toBeInTheDocument()
  })

  it('describes skew and the URL seen in words', () => {
    expect(describeSkew(-42)).toBe('42 s ahead of our clock')
    expect(describeSkew(0)).toBe('0 s behind our clock')
    expect(seenUrl({ url: '/sinchCallbacks', host: null, forwardedProto: null, forwardedHost: null })).toBe(
      '/sinchCallbacks'
    )
    expect(seenUrl({ url: '/x', host: 'a:1', forwardedProto: 'https', forwardedHost: null })).toBe('https://a:1/x')
  })

  it('pages to older refused callbacks', () => {
    const onNext = jest.fn()
    const { callbackRejections } = standard()
    const { rerender } = render(<Success callbackRejections={callbackRejections} onNext={onNext} />)
    fireEvent.click(screen.getByRole('button', { name: 'Older refused callbacks' }))
    expect(onNext).toHaveBeenCalledWith(3)
    rerender(<Success callbackRejections={{ ...callbackRejections, nextCursor: null }} onNext={onNext} />)
    expect(screen.queryByRole('button', { name: 'Older refused callbacks' })).not.toBeInTheDocument()
  })

  it('renders the mocked refused callbacks through the query, and the empty state', async () => {
    mockGraphQLQuery('CallbackRejectionsQuery', standard)
    const { unmount } = render(<CallbackRejectionsCell />)
    expect(await screen.findByText('timestamp 412s in the past (window ±300s)')).toBeInTheDocument()
    unmount()
    mockGraphQLQuery('CallbackRejectionsQuery', () => ({
      callbackRejections: { __typename: 'CallbackRejectionPage', nextCursor: null, items: [] },
    }))
    render(<CallbackRejectionsCell />)
    expect(await screen.findByText(/No callback has been refused/)).toBeInTheDocument()
  })
})
