import { useState } from 'react'

import type {
  AddressBookQuery,
  AddressBookQueryVariables,
  DeleteAddressBookContactMutation,
  DeleteAddressBookContactMutationVariables,
  RemoveContactFromListMutation,
  RemoveContactFromListMutationVariables,
} from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import AddressBookContactForm, {
  CONTACT_FIELDS,
} from 'src/components/AddressBook/AddressBookContactForm/AddressBookContactForm'
import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<AddressBookQuery, AddressBookQueryVariables> = gql`
  query AddressBookQuery($search: String, $listId: Int, $page: Int) {
    addressBookContacts(search: $search, listId: $listId, page: $page) {
      total
      page
      pageSize
      items {
        ...AddressBookContactFields
      }
    }
  }
  ${CONTACT_FIELDS}
`

const DELETE_CONTACT: TypedDocumentNode<DeleteAddressBookContactMutation, DeleteAddressBookContactMutationVariables> =
  gql`
    mutation DeleteAddressBookContactMutation($id: Int!) {
      deleteAddressBookContact(id: $id) {
        id
        phoneNumber
      }
    }
  `

const REMOVE_FROM_LIST: TypedDocumentNode<RemoveContactFromListMutation, RemoveContactFromListMutationVariables> = gql`
  mutation RemoveContactFromListMutation($listId: Int!, $contactId: Int!) {
    removeContactFromList(listId: $listId, contactId: $contactId) {
      id
      memberCount
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading contacts…</p>

export const Empty = () => <p className="text-slate-600">No contacts yet.</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900">
    {error?.message}
  </p>
)

export const isEmpty = (data: AddressBookQuery) => data.addressBookContacts.total === 0

export const Success = ({
  addressBookContacts: book,
  listId,
  onPage,
}: CellSuccessProps<AddressBookQuery, AddressBookQueryVariables> & { onPage?: (page: number) => void }) => {
  const can = useCan()
  const [editing, setEditing] = useState<number | null>(null)
  const refetch = {
    refetchQueries: ['AddressBookQuery', 'ContactListsQuery', 'ContactListQuery'],
    awaitRefetchQueries: true,
  }
  const [remove] = useMutation(DELETE_CONTACT, refetch)
  const [removeFromList] = useMutation(REMOVE_FROM_LIST, refetch)
  const pages = Math.max(1, Math.ceil(book.total / book.pageSize))
  const act = (run: () => Promise<unknown>, done: string) =>
    run().then(
      () => toast.success(done),
      (e: Error) => toast.error(e.message)
    )

  return (
    <div>
      <p className="mb-2 text-sm text-slate-600" data-testid="contact-count">
        {book.total.toLocaleString('en')} contact{book.total === 1 ? '' : 's'}
        {pages > 1 && ` · page ${book.page} of ${pages.toLocaleString('en')}`}
      </p>
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th className="p-2">Number</th>
            <th className="p-2">Name</th>
            <th className="p-2">Fields</th>
            <th className="p-2">Lists</th>
            {can('send') && <th className="p-2">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {book.items.map((c) =>
            editing === c.id ? (
              <tr key={c.id}>
                <td colSpan={5} className="p-2">
                  <AddressBookContactForm contact={c} onDone={() => setEditing(null)} />
                </td>
              </tr>
            ) : (
              <tr key={c.id} className="border-b border-slate-100" data-contact={c.phoneNumber}>
                <td className="p-2 font-mono">
                  {c.phoneNumber}
                  {c.optedOut && (
                    <span
                      className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900"
                      title="Sends to a list leave it out"
                    >
                      opted out
                    </span>
                  )}
                </td>
                <td className="p-2">{c.name}</td>
                <td className="p-2">
                  {c.fields.map((f) => (
                    <span key={f.name} className="mr-2 inline-block">
                      <span className="text-slate-600">{f.name}:</span> {f.value}
                    </span>
                  ))}
                </td>
                <td className="p-2">
                  {c.lists.map((l) => (
                    <Link key={l.id} to={routes.contactList({ id: l.id })} className="mr-2 text-indigo-700 underline">
                      {l.name}
                    </Link>
                  ))}
                </td>
                {can('send') && (
                  <td className="whitespace-nowrap p-2">
                    <button type="button" className="mr-2 text-indigo-700 underline" onClick={() => setEditing(c.id)}>
                      Edit<span className="sr-only"> {c.phoneNumber}</span>
                    </button>
                    {listId ? (
                      <button
                        type="button"
                        className="text-rose-800 underline"
                        onClick={() =>
                          act(
                            () => removeFromList({ variables: { listId, contactId: c.id } }),
                            `${c.phoneNumber} removed from the list`
                          )
                        }
                      >
                        Remove from list<span className="sr-only"> {c.phoneNumber}</span>
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="text-rose-800 underline"
                        onClick={() => {
                          if (window.confirm(`Remove ${c.phoneNumber} from the contact book and every list?`))
                            act(() => remove({ variables: { id: c.id } }), `${c.phoneNumber} removed`)
                        }}
                      >
                        Remove<span className="sr-only"> {c.phoneNumber}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            )
          )}
        </tbody>
      </table>
      {pages > 1 && onPage && (
        <div className="mt-2 flex gap-2">
          <button
            type="button"
            disabled={book.page <= 1}
            onClick={() => onPage(book.page - 1)}
            className="rounded border px-3 py-1 disabled:opacity-50"
          >
            Previous
          </button>
          <button
            type="button"
            disabled={book.page >= pages}
            onClick={() => onPage(book.page + 1)}
            className="rounded border px-3 py-1 disabled:opacity-50"
          >
            Next
          </button>
        </div>
      )}
    </div>
  )
}
