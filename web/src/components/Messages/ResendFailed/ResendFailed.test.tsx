import { fireEvent, render, screen, within } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import { signInAs } from 'src/lib/testing/staff'

import ResendFailed from './ResendFailed'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

const result = (overrides: Record<string, unknown> = {}) => ({
  resendFailed: {
    __typename: 'ResendResult',
    created: true,
    skippedOptedOut: 1,
    alreadyResent: 0,
    message: { __typename: 'Message', id: 'msg-resend', recipientCount: 2, submitState: 'SUBMITTED' },
    ...overrides,
  },
})

describe('ResendFailed', () => {
  it('renders nothing for a message with no failure and no resend links', () => {
    const { container } = render(<ResendFailed messageId="msg-1" failed={0} />)
    expect(container).toBeEmptyDOMElement()
  })

  it('links a resend to its original, and an original to its resends', () => {
    render(
      <ResendFailed
        messageId="msg-2"
        failed={0}
        resendOf={{ id: 'msg-1', createdAt: '2024-05-01T10:00:00.000Z' }}
        resendAttempt={2}
        resends={[{ id: 'msg-3', createdAt: '2024-05-01T12:00:00.000Z', recipientCount: 1 }]}
      />
    )
    const box = screen.getByTestId('resends')
    expect(box).toHaveTextContent(
      `Resend (attempt 2) of the message of ${new Date('2024-05-01T10:00:00.000Z').toLocaleString()}`
    )
    expect(
      within(box).getByRole('link', { name: `the message of ${new Date('2024-05-01T10:00:00.000Z').toLocaleString()}` })
    ).toHaveAttribute('href', '/messages/msg-1')
    expect(within(box).getByRole('listitem')).toHaveTextContent(
      `${new Date('2024-05-01T12:00:00.000Z').toLocaleString()} · 1 recipient`
    )
    expect(within(within(box).getByRole('listitem')).getByRole('link')).toHaveAttribute('href', '/messages/msg-3')
    expect(screen.queryByRole('button')).not.toBeInTheDocument()
  })

  it('resends on request and says how many were resent and how many opted-out numbers were skipped', async () => {
    const asked: unknown[] = []
    mockGraphQLMutation('ResendFailedMutation', (variables) => {
      asked.push(variables)
      return result()
    })
    render(
      <>
        <Toaster />
        <ResendFailed messageId="msg-1" failed={3} />
      </>
    )
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    // The toast is a status too: the one that stays is inside the resend box.
    const status = await within(screen.getByTestId('resends')).findByRole('status')
    expect(status).toHaveTextContent('Resent to 2 failed recipients. 1 opted-out number skipped. Open the resend')
    expect(within(status).getByRole('link', { name: 'Open the resend' })).toHaveAttribute(
      'href',
      '/messages/msg-resend'
    )
    expect(asked).toEqual([{ id: 'msg-1' }])
  })

  it('says so when an earlier resend already covers every failed recipient', async () => {
    mockGraphQLMutation('ResendFailedMutation', () => result({ created: false, skippedOptedOut: 0, alreadyResent: 2 }))
    render(<ResendFailed messageId="msg-1" failed={2} />)
    fireEvent.click(screen.getByRole('button', { name: 'Resend to failed recipients' }))
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Already resent: every failed recipient is in an earlier resend.'
    )
  })
})
