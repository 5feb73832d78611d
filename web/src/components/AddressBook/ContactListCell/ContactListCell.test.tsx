import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import { Success } from './ContactListCell'

const list = {
  __typename: 'ContactList' as const,
  id: 3,
  name: 'Volunteers',
  memberCount: 2500,
  optedOutCount: 3,
  createdAt: '2026-12-01T10:00:00.000Z',
  createdByEmail: 'sender@example.com',
}

describe('ContactListCell', () => {
  it('renames the list; an empty name is refused before the api is asked', async () => {
    signInAs('sender')
    const renamed: unknown[] = []
    mockGraphQLMutation('RenameContactListMutation', (variables) => {
      renamed.push(variables)
      return { renameContactList: { __typename: 'ContactList', id: 3, name: 'Helpers' } }
    })
    render(<Success id={3} contactList={list} />)
    expect(screen.getByTestId('list-summary')).toHaveTextContent(
      '2,500 contacts, 3 opted out (left out of sends) · created by sender@example.com'
    )
    const name = screen.getByLabelText('List name')
    expect(name).toHaveValue('Volunteers')
    fireEvent.change(name, { target: { value: '' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }))
    expect(await screen.findByText('Name the list.')).toBeInTheDocument()
    expect(renamed).toEqual([])

    fireEvent.change(name, { target: { value: 'Helpers' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }))
    await waitFor(() => expect(renamed).toEqual([{ id: 3, name: 'Helpers' }]))
  })

  it('a viewer can export but neither rename nor delete', () => {
    signInAs('viewer')
    render(<Success id={3} contactList={list} />)
    expect(screen.getByRole('link', { name: 'Export as CSV' })).toHaveAttribute('href', '/api/exportContacts?listId=3')
    expect(screen.queryByLabelText('List name')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete list' })).not.toBeInTheDocument()
  })
})
