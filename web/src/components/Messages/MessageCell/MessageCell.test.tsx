import { fireEvent, render, screen, within } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import { formatDateTime } from 'src/lib/formatTime'
import { signInAs } from 'src/lib/testing/staff'

import { Empty, Failure, Loading, Success, formatDuration } from './MessageCell'
import { standard } from './MessageCell.mock'

const stat = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling

describe('MessageCell', () => {
  beforeEach(() => signInAs('admin'))

  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading the message…')).toBeInTheDocument()
  })

  it('says when there is no such message, with the id and a way back, and none of a message page', () => {
    render(<Empty id="nope-42" />)
    expect(screen.getByRole('heading', { level: 1, name: 'No such message' })).toBeInTheDocument()
    expect(screen.getByText('nope-42')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'See all messages' })).toHaveAttribute('href', '/')
  })

  it('shows the page around a message only once it exists (the live dot and recipients)', () => {
    const { message } = standard()
    render(
      <Success id="msg-1" message={message} aside={<span>Live</span>}>
        <p>recipients</p>
      </Success>
    )
    expect(screen.getByText('Live')).toBeInTheDocument()
    expect(screen.getByText('recipients')).toBeInTheDocument()
  })

  it('a long body is not the heading: the first words are, and the body follows in full', () => {
    const { message } = standard()
    const body = `${'Dear customer, your parcel is on its way and '.repeat(35)}end`.slice(0, 1600)
    render(<Success id="msg-1" message={{ ...message, body }} />)
    const heading = screen.getByRole('heading', { level: 1 })
    expect(heading.textContent!.length).toBeLessThanOrEqual(81)
    expect(heading).toHaveTextContent(/^Dear customer, your parcel is on its way and .*…$/)
    expect(screen.getByTestId('body')).toHaveTextContent(body.trim())
  })

  it('keeps Sinch ids out of the first line, in a details pane', () => {
    const { message } = standard()
    render(<Success id="msg-1" message={message} />)
    const details = screen.getByText('Details for Sinch support').closest('details')!
    expect(details).not.toHaveAttribute('open')
    expect(details).toHaveTextContent('Sinch batch id 01HXBATCH0000000000000001')
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the message: Boom')
  })

  it('shows the message, its progress numbers, status counts and the export link', () => {
    const { message } = standard()
    render(<Success id="msg-1" message={message} />)

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'Your parcel arrives today between 10:00 and 12:00'
    )
    expect(screen.getByText(/· SMS · from DeskCo · by ops@example.com · ref order-42$/)).toBeInTheDocument()
    expect(screen.queryByTestId('body')).not.toBeInTheDocument()

    expect(stat('Recipients')).toHaveTextContent('4')
    expect(stat('Delivered')).toHaveTextContent('2')
    expect(stat('Failed')).toHaveTextContent('1')
    expect(stat('In flight')).toHaveTextContent('1')
    expect(stat('Median time to deliver')).toHaveTextContent('4.2 s')

    expect(screen.getByRole('img', { name: '2 Delivered, 1 Failed, 1 Dispatched' })).toBeInTheDocument()

    const exportLink = screen.getByRole('link', { name: 'Export delivery history (CSV)' })
    expect(exportLink).toHaveAttribute('href', '/api/exportMessage?id=msg-1')
    expect(exportLink).toHaveAttribute('download')

    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.queryByText('Submitting to Sinch…')).not.toBeInTheDocument()
  })

  it('shows a dash when there is no median time to deliver yet', () => {
    const { message } = standard()
    render(
      <Success id="msg-1" message={{ ...message, progress: { ...message.progress, medianTimeToDeliverMs: null } }} />
    )
    expect(stat('Median time to deliver')).toHaveTextContent('—')
  })

  it('says the message is being submitted while Sinch has not answered', () => {
    const { message } = standard()
    render(<Success id="msg-1" message={{ ...message, submitState: 'PENDING', sinchBatchId: null }} />)
    expect(screen.getByText('Submitting to Sinch…')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Retry send' })).not.toBeInTheDocument()
  })

  it('shows why Sinch refused the message and retries it on request', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('RetrySendMutation', (variables) => {
      sent.push(variables)
      return {
        retrySendMessage: {
          __typename: 'Message',
          id: 'msg-1',
          submitState: 'SUBMITTED',
          submitError: null,
          submitAttempts: 2,
          sinchBatchId: '01HXBATCH0000000000000002',
        },
      }
    })
    const { message } = standard()
    render(
      <>
        <Toaster />
        <Success
          id="msg-1"
          message={{ ...message, submitState: 'FAILED', submitError: 'Invalid sender "DeskCo"', sinchBatchId: null }}
        />
      </>
    )

    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('Sinch did not accept this message. Invalid sender "DeskCo"')
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry send' }))

    expect(await screen.findByText('Sinch accepted the message')).toBeInTheDocument()
    expect(sent).toEqual([{ id: 'msg-1' }])
  })

  it('offers no retry, check or resend to a viewer (the api refuses them anyway)', () => {
    signInAs('viewer')
    const { message } = standard()
    render(
      <Success
        id="msg-1"
        message={{ ...message, submitState: 'FAILED', submitError: 'Invalid sender', sinchBatchId: null }}
      />
    )
    expect(screen.getByRole('alert')).toHaveTextContent('Sinch did not accept this message.')
    expect(screen.queryByRole('button', { name: 'Retry send' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Resend|Check with Sinch/ })).not.toBeInTheDocument()
  })

  it('tells the user when the retry is still refused', async () => {
    mockGraphQLMutation('RetrySendMutation', () => ({
      retrySendMessage: {
        __typename: 'Message',
        id: 'msg-1',
        submitState: 'FAILED',
        submitError: 'Sinch is unavailable (503)',
        submitAttempts: 2,
        sinchBatchId: null,
      },
    }))
    const { message } = standard()
    render(
      <>
        <Toaster />
        <Success
          id="msg-1"
          message={{ ...message, submitState: 'FAILED', submitError: 'Timed out', sinchBatchId: null }}
        />
      </>
    )
    fireEvent.click(screen.getByRole('button', { name: 'Retry send' }))
    expect(await screen.findByText('Sinch is unavailable (503)')).toBeInTheDocument()
  })
})

describe('formatDuration', () => {
  it('uses ms, seconds or minutes as fits', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(undefined)).toBe('—')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(4200)).toBe('4.2 s')
    expect(formatDuration(119_999)).toBe('120.0 s')
    expect(formatDuration(180_000)).toBe('3 min')
  })
})

describe('MessageCell resends', () => {
  beforeEach(() => signInAs('admin'))

  it('offers to resend to failed recipients and shows the resend links', () => {
    const { message } = standard()
    render(
      <Success
        id="msg-1"
        message={{
          ...message,
          resendAttempt: 1,
          resendOf: { __typename: 'Message', id: 'msg-0', createdAt: '2024-04-30T10:00:00.000Z' },
          resends: [],
        }}
      />
    )
    expect(screen.getByRole('button', { name: 'Resend to failed recipients' })).toBeInTheDocument()
    expect(screen.getByTestId('resends')).toHaveTextContent('1 failed recipient not resent yet')
    expect(
      screen.getByRole('link', { name: `the message of ${formatDateTime('2024-04-30T10:00:00.000Z')}` })
    ).toHaveAttribute('href', '/messages/msg-0')
  })
})
