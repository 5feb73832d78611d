import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'

import ComposePage from './ComposePage'

const optedOut = { __typename: 'RecipientProblem', input: '+46701234567', reason: 'opted out (replied STOP on 2025-03-01)' }

describe('ComposePage', () => {
  beforeEach(() => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+12025550123'], duplicatesRemoved: 0, invalid: [optedOut] },
    }))
  })

  it('renders the form', () => {
    render(<ComposePage />)
    expect(screen.getByRole('heading', { name: 'Compose an SMS' })).toBeInTheDocument()
    expect(screen.getByLabelText('Message')).toBeInTheDocument()
    expect(screen.getByLabelText('Recipients')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument()
  })

  it('shows an opted-out recipient under Recipients while typing', async () => {
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n+46701234567' } })
    const check = await screen.findByTestId('recipient-check', {}, { timeout: 2000 })
    expect(check).toHaveTextContent('1 valid recipient, 1 invalid (nothing is sent until they are fixed)')
    expect(within(check).getByRole('listitem')).toHaveTextContent('+46701234567: opted out (replied STOP on 2025-03-01)')
  })

  it('says nothing was sent and lists each refused entry when the send is refused', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return { sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [optedOut] } }
    })
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n+46701234567' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Nothing was sent: 1 recipient is invalid or opted out.')
    expect(within(alert).getByRole('listitem')).toHaveTextContent('+46701234567: opted out (replied STOP on 2025-03-01)')
    await waitFor(() => expect(sent).toEqual([{ input: { body: 'Hello', recipients: '+12025550123\n+46701234567', clientReference: null } }]))
  })
})
