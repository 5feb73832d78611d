import { useState } from 'react'

import type {
  ContactListsQuery,
  ContactListsQueryVariables,
  CreateContactListMutation,
  CreateContactListMutationVariables,
} from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<ContactListsQuery, ContactListsQueryVariables> = gql`
  query ContactListsQuery {
    contactLists {
      id
      name
      memberCount
      optedOutCount
    }
  }
`

const CREATE_LIST: TypedDocumentNode<CreateContactListMutation, CreateContactListMutationVariables> = gql`
  mutation CreateContactListMutation($name: String!) {
    createContactList(name: $name) {
      id
      name
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading lists…</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900">
    {error?.message}
  </p>
)

const NewListForm = () => {
  const [name, setName] = useState('')
  const [create, { loading }] = useMutation(CREATE_LIST, {
    refetchQueries: ['ContactListsQuery'],
    awaitRefetchQueries: true,
  })
  return (
    <form
      aria-label="New list"
      className="mt-3 flex gap-2"
      onSubmit={(e) => {
        e.preventDefault()
        create({ variables: { name } }).then(
          () => {
            toast.success(`List “${name.trim()}” created`)
            setName('')
          },
          (error: Error) => toast.error(error.message)
        )
      }}
    >
      <label className="sr-only" htmlFor="newListName">
        New list name
      </label>
      <input
        id="newListName"
        required
        maxLength={200}
        className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
        placeholder="New list"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" disabled={loading} className="rounded border border-indigo-600 px-3 py-1 text-indigo-700">
        Create
      </button>
    </form>
  )
}

export const Success = ({ contactLists }: CellSuccessProps<ContactListsQuery, ContactListsQueryVariables>) => {
  const can = useCan()
  return (
    <div>
      {contactLists.length === 0 ? (
        <p className="text-sm text-slate-600">No lists yet.</p>
      ) : (
        <ul className="space-y-1" aria-label="Contact lists">
          {contactLists.map((l) => (
            <li key={l.id}>
              <Link to={routes.contactList({ id: l.id })} className="text-indigo-700 underline">
                {l.name}
              </Link>{' '}
              <span className="text-sm text-slate-600">
                {l.memberCount.toLocaleString('en')}
                {l.optedOutCount > 0 && ` (${l.optedOutCount.toLocaleString('en')} opted out)`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {can('send') && <NewListForm />}
    </div>
  )
}
