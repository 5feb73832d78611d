import { act, fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import InviteUserForm from './InviteUserForm'

const roles = [
  { role: 'admin' as const, description: 'Everything' },
  { role: 'sender' as const, description: 'Sends' },
  { role: 'viewer' as const, description: 'Reads' },
]

describe('InviteUserForm', () => {
  const sent: unknown[] = []
  beforeEach(() => {
    sent.length = 0
  })

  it('says what is wrong with the email on the field and invites nobody', async () => {
    mockGraphQLMutation('InviteUserMutation', (variables) => {
      sent.push(variables)
      throw new Error('not expected')
    })
    render(<InviteUserForm roles={roles} onInvited={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }))
    expect(await screen.findByText('Enter the email address of the colleague to invite.')).toBeInTheDocument()
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true')

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.example.com' } })
    expect(await screen.findByText('This is not an email address (name@example.com).')).toBeInTheDocument()
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(
      'This is not an email address (name@example.com).'
    )
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }))
    // The form checks asynchronously: give an invitation the time it would take to go.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(sent).toEqual([])
  })

  it('invites with the chosen role, passes the link on and empties the email', async () => {
    const invited: unknown[] = []
    mockGraphQLMutation('InviteUserMutation', (variables) => {
      sent.push(variables)
      return {
        inviteUser: {
          __typename: 'UserLink',
          purpose: 'INVITATION',
          token: 't'.repeat(43),
          expiresAt: '2026-12-08T12:00:00.000Z',
          user: { __typename: 'User', id: 5, email: 'sam@example.com' },
        },
      }
    })
    render(<InviteUserForm roles={roles} onInvited={(link) => invited.push(link.user.email)} />)
    expect(screen.getByLabelText('Role')).toHaveValue('viewer')
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam@example.com' } })
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'sender' } })
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }))
    await waitFor(() => expect(invited).toEqual(['sam@example.com']))
    expect(sent).toEqual([{ input: { email: 'sam@example.com', role: 'sender' } }])
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveValue(''))
    expect(screen.getByLabelText('Role')).toHaveValue('sender')
  })

  it("shows the api's refusal", async () => {
    mockGraphQLMutation('InviteUserMutation', (_, { ctx }) => {
      ctx.errors([{ message: 'sam@example.com already has an account: create a new link for it instead.' }])
    })
    render(<InviteUserForm roles={roles} onInvited={() => {}} />)
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam@example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'sam@example.com already has an account: create a new link for it instead.'
    )
  })
})
