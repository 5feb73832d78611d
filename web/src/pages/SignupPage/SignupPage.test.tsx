import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import SignupPage from './SignupPage'

// A minimum unlike the api's real one: the form must take it from the api, not from a constant of its own.
beforeEach(() => mockGraphQLQuery('SignupPageQuery', () => ({ signupOpen: true, passwordRules: { minLength: 14 } })))

describe('SignupPage', () => {
  it("checks a new password against the api's minimum before sending it", async () => {
    render(<SignupPage setupToken="token-from-the-link" />)
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'admin@example.com' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x'.repeat(13) } })
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByText('Use at least 14 characters')).toBeInTheDocument()
  })

  it('says so when signup is closed', async () => {
    mockGraphQLQuery('SignupPageQuery', () => ({ signupOpen: false, passwordRules: { minLength: 14 } }))
    render(<SignupPage />)
    expect(await screen.findByRole('alert')).toHaveTextContent('Signup is closed')
  })
})
