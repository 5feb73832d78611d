import { act, fireEvent, render, screen } from '@redwoodjs/testing/web'

import SetPasswordPage from './SetPasswordPage'

describe('SetPasswordPage', () => {
  const redeemed: unknown[] = []
  beforeEach(() => {
    redeemed.length = 0
    // A shortest password unlike the usual one, so that the page's rule is shown to be the api's.
    mockGraphQLQuery('UserLinkQuery', () => ({
      userLink: {
        __typename: 'UserLinkInfo',
        purpose: 'INVITATION',
        email: 'sam@example.com',
        expiresAt: '2026-12-08T12:00:00.000Z',
        minPasswordLength: 12,
      },
    }))
  })

  it("refuses a missing or short password on the field, by the api's rule, and uses nothing", async () => {
    mockGraphQLMutation('RedeemUserLinkMutation', (variables) => {
      redeemed.push(variables)
      return { redeemUserLink: { __typename: 'RedeemedLink', email: 'sam@example.com' } }
    })
    render(<SetPasswordPage token="t" />)
    expect(await screen.findByTestId('link-email')).toHaveTextContent('sam@example.com')
    const password = screen.getByLabelText('Password')
    expect(password).toHaveAccessibleDescription('At least 12 characters.')

    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }))
    expect(await screen.findByText('Choose a password.')).toBeInTheDocument()
    expect(password).toHaveAttribute('aria-invalid', 'true')

    fireEvent.change(password, { target: { value: 'eleven-char' } })
    expect(await screen.findByText('Use at least 12 characters.')).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }))
    // The form checks asynchronously: give the link the time it would take to be used.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(redeemed).toEqual([])
  })

  it("shows the api's refusal of the link", async () => {
    mockGraphQLMutation('RedeemUserLinkMutation', (variables, { ctx }) => {
      redeemed.push(variables)
      ctx.errors([{ message: 'This link has been used, has expired or is not valid: ask an admin for a new one.' }])
    })
    render(<SetPasswordPage token="t" />)
    fireEvent.change(await screen.findByLabelText('Your name (optional)'), { target: { value: ' Sam ' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'twelve-chars' } })
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This link has been used, has expired or is not valid: ask an admin for a new one.'
    )
    expect(redeemed).toEqual([{ token: 't', password: 'twelve-chars', name: 'Sam' }])
  })
})
