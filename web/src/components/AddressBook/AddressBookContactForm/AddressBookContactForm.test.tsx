import userEvent from '@testing-library/user-event'

import { render, screen, waitFor } from '@redwoodjs/testing/web'

import AddressBookContactForm from './AddressBookContactForm'

describe('AddressBookContactForm', () => {
  it("shows the api's reason when it refuses the contact, not a generic title", async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('CreateAddressBookContactMutation', (variables, { ctx }) => {
      sent.push(variables)
      ctx.errors([{ message: '12345: not a valid phone number.', extensions: { code: 'BAD_USER_INPUT' } }])
    })
    render(<AddressBookContactForm />)
    await userEvent.type(screen.getByLabelText('Phone number'), '12345')
    await userEvent.click(screen.getByRole('button', { name: /add/i }))
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('12345: not a valid phone number.'))
    expect(screen.queryByText('Errors prevented this form from being saved')).not.toBeInTheDocument()
    expect(sent).toHaveLength(1)
  })

  it('asks for a number before sending anything', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('CreateAddressBookContactMutation', (variables) => {
      sent.push(variables)
      return {}
    })
    render(<AddressBookContactForm />)
    await userEvent.click(screen.getByRole('button', { name: /add/i }))
    expect(await screen.findByText('Enter a phone number')).toBeInTheDocument()
    expect(sent).toHaveLength(0)
  })
})
