import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import CheckWithSinch, { describeReconcile } from './CheckWithSinch'

const result = (fields: Partial<Parameters<typeof describeReconcile>[0]> = {}) => ({
  __typename: 'ReconcileResult' as const,
  messageId: 'msg-1',
  checked: 3,
  changed: 2,
  gaveUp: 0,
  failed: 0,
  errors: [],
  ...fields,
})

describe('CheckWithSinch', () => {
  it('describes what a check found', () => {
    expect(describeReconcile(result())).toBe('Checked 3 recipients with Sinch: 2 changed.')
    expect(describeReconcile(result({ checked: 1, changed: 0 }))).toBe('Checked 1 recipient with Sinch: nothing new.')
    expect(describeReconcile(result({ changed: 1, gaveUp: 1 }))).toBe(
      'Checked 3 recipients with Sinch: 1 changed; 1 ended Unknown (no report from the operator).'
    )
    expect(describeReconcile(result({ changed: 0, failed: 3, errors: ['Could not reach Sinch'] }))).toBe(
      'Checked 3 recipients with Sinch: nothing new; 3 checks failed: Could not reach Sinch.'
    )
    expect(describeReconcile(result({ checked: 0, changed: 0 }))).toMatch(/nothing to check/)
  })

  it('asks Sinch on click and shows how many changed', async () => {
    const asked = jest.fn()
    mockGraphQLMutation('ReconcileMessageMutation', ({ id }) => {
      asked(id)
      return { reconcileMessage: result() }
    })
    render(
      <>
        <Toaster />
        <CheckWithSinch messageId="msg-1" inFlight={3} />
      </>
    )
    fireEvent.click(screen.getByRole('button', { name: 'Check with Sinch now' }))
    expect(await screen.findByText('Checked 3 recipients with Sinch: 2 changed.')).toBeInTheDocument()
    await waitFor(() => expect(asked).toHaveBeenCalledWith('msg-1'))
  })

  it('is disabled when every recipient is final', () => {
    render(<CheckWithSinch messageId="msg-1" inFlight={0} />)
    expect(screen.getByRole('button', { name: 'Check with Sinch now' })).toBeDisabled()
    expect(screen.getByText('Every recipient has a final status.')).toBeInTheDocument()
  })
})
