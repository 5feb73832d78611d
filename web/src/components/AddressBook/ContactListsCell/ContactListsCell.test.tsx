import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import { Success } from './ContactListsCell'

const lists = [
  { __typename: 'ContactList' as const, id: 3, name: 'Volunteers', memberCount: 2500, optedOutCount: 3 },
  { __typename: 'ContactList' as const, id: 4, name: 'Board', memberCount: 1, optedOutCount: 0 },
]

describe('ContactListsCell', () => {
  it('lists the lists with their sizes', () => {
    signInAs('viewer')
    render(<Success contactLists={lists} />)
    expect(screen.getByRole('link', { name: 'Volunteers' }).parentElement).toHaveTextContent(
      'Volunteers 2,500 (3 opted out)'
    )
    // A viewer cannot make lists.
    expect(screen.queryByRole('form', { name: 'New list' })).not.toBeInTheDocument()
  })

  it('creates a list by name; an empty name is refused before the api is asked', async () => {
    signInAs('sender')
    const created: unknown[] = []
    mockGraphQLMutation('CreateContactListMutation', (variables) => {
      created.push(variables)
      return { createContactList: { __typename: 'ContactList', id: 9, name: 'Donors' } }
    })
    render(<Success contactLists={lists} />)
    fireEvent.change(screen.getByLabelText('New list name'), { target: { value: '   ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create' }))
    expect(await screen.findByText('Name the list.')).toBeInTheDocument()
    expect(created).toEqual([])

    fireEvent.change(screen.getByLabelText('New list name'), { target: { value: 'Donors' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create' }))
    await waitFor(() => expect(created).toEqual([{ name: 'Donors' }]))
    await waitFor(() => expect(screen.getByLabelText('New list name')).toHaveValue(''))
  })
})
