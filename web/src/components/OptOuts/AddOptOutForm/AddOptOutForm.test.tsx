import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import AddOptOutForm from './AddOptOutForm'

/** Every AddOptOutMutation the form sends; the api refuses a number already opted out. */
function recordAdds() {
  const sent: unknown[] = []
  mockGraphQLMutation('AddOptOutMutation', (variables, { ctx }) => {
    sent.push(variables)
    if (sent.length > 1) ctx.errors([{ message: '+12025550123 is already opted out (since 2026-11-30).' }])
    return { addOptOut: { __typename: 'OptOut', id: 9, phoneNumber: '+12025550123' } }
  })
  return sent
}

// A limit unlike the api's real one: the form must take it from the api, not from a constant of its own.
beforeEach(() => mockGraphQLQuery('OptOutLimitsQuery', () => ({ optOutLimits: { maxNoteLength: 20 } })))

describe('AddOptOutForm', () => {
  it('says what is missing or too long, and sends nothing until it is right', async () => {
    const sent = recordAdds()
    render(<AddOptOutForm />)
    const add = screen.getByRole('button', { name: 'Add opt-out' })

    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '   ' } })
    fireEvent.click(add)
    expect(await screen.findByText('Enter a phone number.')).toBeInTheDocument()
    expect(screen.getByLabelText('Phone number')).toHaveFocus()

    await screen.findByText('(optional, at most 20 characters)')
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '+1 202 555 0123' } })
    fireEvent.change(screen.getByLabelText(/^Note/), { target: { value: 'x'.repeat(21) } })
    fireEvent.click(add)
    expect(await screen.findByText('A note has at most 20 characters; this one has 21.')).toBeInTheDocument()
    expect(screen.queryByText('Enter a phone number.')).not.toBeInTheDocument()
    await new Promise((r) => setTimeout(r, 100))
    expect(sent).toEqual([])
  })

  it('sends the number and the note, clears the form, and shows the api refusing a second time', async () => {
    const sent = recordAdds()
    render(<AddOptOutForm />)
    await screen.findByText('(optional, at most 20 characters)')
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '+1 202 555 0123' } })
    // Blanks around the note do not count against the limit.
    fireEvent.change(screen.getByLabelText(/^Note/), { target: { value: `  ${'n'.repeat(20)}  ` } })
    fireEvent.click(screen.getByRole('button', { name: 'Add opt-out' }))
    await waitFor(() => expect(sent).toEqual([{ input: { phoneNumber: '+1 202 555 0123', note: 'n'.repeat(20) } }]))
    await waitFor(() => expect(screen.getByLabelText('Phone number')).toHaveValue(''))
    expect(screen.getByLabelText(/^Note/)).toHaveValue('')

    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '+12025550123' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add opt-out' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('+12025550123 is already opted out (since 2026-11-30).')
    expect(sent).toHaveLength(2)
    expect(screen.getByLabelText('Phone number')).toHaveValue('+12025550123')
  })
})
