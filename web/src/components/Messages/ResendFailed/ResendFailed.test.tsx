import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import { formatDateTime } from 'src/lib/formatTime'
import { signInAs } from 'src/lib/testing/staff'

import ResendFailed, { type Resendable } from './ResendFailed'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

const result = (overrides: Record<string, unknown> = {}) => ({
  resendFailed: {
    __typename: 'ResendResult',
    created: true,
    skippedOptedOut: 1,
    alreadyResent: 0,
    skippedUnlikely: 0,
    message: { __typename: 'Message', id: 'msg-resend', recipientCount: 2, submitState: 'SUBMITTED' },
    ...overrides,
  },
})

const resendable = (count: number, unlikelyToSucceed = 0, alreadyResent = 0): Resendable => ({
  count,
  unlikelyToSucceed,
  optedOut: 1,
  alreadyResent,
})

describe('ResendFailed', () => {
  it('renders nothing for a message with no failure and no resend links', () => {
    const { container } = render(<ResendFailed messageId="msg-1" resendable={resendable(0)} />)
    expect(container).toBeEmptyDOMElement()
  })

  it('links a resend to its original, and an original to its resends', () => {
    render(
      <ResendFailed
        messageId="msg-2"
        resendable={resendable(0)}
        resendOf={{ id: 'msg-1', createdAt: '2024-05-01T10:00:00.000Z' }}
        resendAttempt={2}
        resends={[{ id: 'msg-3', createdAt: '2024-05-01T12:00:00.000Z', recipientCount: 1 }]}
      />
    )
    const box = screen.getByTestId('resends')
    expect(box).toHaveTextContent(`Resend (attempt 2) of the message of ${formatDateTime('2024-05-01T10:00:00.000Z')}`)
    expect(
      within(box).getByRole('link', { name: `the message of ${formatDateTime('2024-05-01T10:00:00.000Z')}` })
    ).toHaveAttribute('href', '/messages/msg-1')
    expect(within(box).getByRole('listitem')).toHaveTextContent(
      `${formatDateTime('2024-05-01T12:00:00.000Z')} · 1 recipient`
    )
    expect(within(within(box).getByRole('listitem')).getByRole('link')).toHaveAttribute('href', '/messages/msg-3')
    expect(screen.queryByRole('button')).not.toBeInTheDocument()
  })

  it('asks first, then resends and says how many were resent and how many opted-out numbers were skipped', async () => {
    const asked: unknown[] = []
    mockGraphQLMutation('ResendFailedMutation', (variables) => {
      asked.push(variables)
      return result()
    })
    render(
      <>
        <Toaster />
        <ResendFailed messageId="msg-1" resendable={resendable(2)} />
      </>
    )
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    // Nothing is sent by the first press: it asks.
    expect(asked).toEqual([])
    expect(screen.getByRole('group')).toHaveTextContent('Resend the message to 2 failed recipients?')
    fireEvent.click(screen.getByRole('button', { name: 'Resend to 2' }))
    // The toast is a status too: the one that stays is inside the resend box.
    const status = await within(screen.getByTestId('resends')).findByRole('status')
    expect(status).toHaveTextContent('Resent to 2 failed recipients. 1 opted-out number skipped. Open the resend')
    expect(within(status).getByRole('link', { name: 'Open the resend' })).toHaveAttribute(
      'href',
      '/messages/msg-resend'
    )
    expect(asked).toEqual([{ id: 'msg-1', skipUnlikely: false }])
  })

  it('Cancel sends nothing', () => {
    const asked: unknown[] = []
    mockGraphQLMutation('ResendFailedMutation', (variables) => {
      asked.push(variables)
      return result()
    })
    render(<ResendFailed messageId="msg-1" resendable={resendable(2)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('button', { name: 'Resend to failed recipients' })).toBeInTheDocument()
    expect(asked).toEqual([])
  })

  it('says how many are hopeless and lets the user leave them out', async () => {
    const asked: unknown[] = []
    mockGraphQLMutation('ResendFailedMutation', (variables) => {
      asked.push(variables)
      return result({ skippedUnlikely: 2, skippedOptedOut: 0 })
    })
    render(<ResendFailed messageId="msg-1" resendable={resendable(5, 2)} />)
    expect(screen.getByTestId('resends')).toHaveTextContent(
      '5 failed recipients not resent yet, 2 of them unlikely to succeed'
    )
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    expect(screen.getByRole('group')).toHaveTextContent(
      /Resend to 5 failed recipients\? 2 of them failed for a reason a resend does not change/
    )
    expect(screen.getByRole('button', { name: 'Resend to all 5' })).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'Resend to 3, leave out 2' }))
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Resent to 2 failed recipients. 2 hopeless failures left out.'
    )
    expect(asked).toEqual([{ id: 'msg-1', skipUnlikely: true }])
  })

  it('when every one is hopeless: says so, and the only choice is to resend anyway or not', () => {
    render(<ResendFailed messageId="msg-1" resendable={resendable(1, 1)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    expect(screen.getByRole('group')).toHaveTextContent(
      /Resend to 1 failed recipient\? All failed for a reason a resend does not change/
    )
    expect(screen.queryByRole('button', { name: /leave out/ })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Resend anyway' })).toBeInTheDocument()
  })

  it('offers no resend once every failed recipient is in one (the api counts none left)', () => {
    render(
      <ResendFailed
        messageId="msg-1"
        resendable={resendable(0, 0, 3)}
        resends={[{ id: 'msg-3', createdAt: '2024-05-01T12:00:00.000Z' }]}
      />
    )
    expect(screen.queryByRole('button', { name: 'Resend to failed recipients' })).not.toBeInTheDocument()
    expect(screen.getByText('Every failed recipient is in a resend.')).toBeInTheDocument()
  })

  it('after a resend the button goes: the message is asked again and counts none left', async () => {
    let left = 2
    mockGraphQLMutation('ResendFailedMutation', () => {
      left = 0
      return result()
    })
    const { rerender } = render(<ResendFailed messageId="msg-1" resendable={resendable(left)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    fireEvent.click(screen.getByRole('button', { name: 'Resend to 2' }))
    await screen.findByRole('status')
    // What MessageCell passes after its refetch.
    rerender(<ResendFailed messageId="msg-1" resendable={resendable(left, 0, 2)} />)
    await waitFor(() => expect(screen.queryByRole('button', { name: /Resend/ })).not.toBeInTheDocument())
    expect(screen.getByRole('status')).toHaveTextContent('Resent to 2 failed recipients.')
  })
})
