import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'

import { formatDateTime } from 'src/lib/formatTime'
import { signInAs } from 'src/lib/testing/staff'

import { Empty, Failure, Loading, Success } from './OptOutsCell'
import { standard } from './OptOutsCell.mock'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

describe('OptOutsCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading opt-outs…')).toBeInTheDocument()
  })

  it('explains how numbers get here when there is none', () => {
    render(<Empty />)
    expect(screen.getByText(/No number has opted out/)).toHaveTextContent(
      'No number has opted out. A reply of STOP adds one here; START removes it.'
    )
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load opt-outs: Boom')
  })

  it('lists each number with since when, its source and the reply or staff user that caused it', () => {
    render(<Success {...standard()} />)
    const [, reply, staff] = screen.getAllByRole('row')

    const replyCells = within(reply).getAllByRole('cell')
    expect(replyCells[0]).toHaveTextContent('+46701234567')
    expect(within(replyCells[1]).getByText(formatDateTime('2024-05-02T08:30:00.000Z'))).toHaveAttribute(
      'datetime',
      '2024-05-02T08:30:00.000Z'
    )
    expect(replyCells[2]).toHaveTextContent('Reply')
    expect(replyCells[3]).toHaveTextContent('Replied Stop by SMS')
    expect(within(replyCells[3]).getByText(' Stop ', { normalizer: (t) => t })).toBeInTheDocument()

    const staffCells = within(staff).getAllByRole('cell')
    expect(staffCells[0]).toHaveTextContent('+12025550123')
    expect(staffCells[2]).toHaveTextContent('Staff')
    expect(staffCells[3]).toHaveTextContent('Added by ops@example.com')
    expect(staffCells[3]).toHaveTextContent('Asked by phone')
  })

  it('removes an opt-out on request', async () => {
    const asked: unknown[] = []
    mockGraphQLMutation('RemoveOptOutMutation', (variables) => {
      asked.push(variables)
      return { removeOptOut: { __typename: 'OptOut', id: 1, phoneNumber: '+12025550123' } }
    })
    render(<Success {...standard()} />)
    fireEvent.click(screen.getByRole('button', { name: 'Remove the opt-out of +12025550123' }))
    await waitFor(() => expect(asked).toEqual([{ phoneNumber: '+12025550123' }]))
  })
})
