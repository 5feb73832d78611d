import type {
  ContactListQuery,
  ContactListQueryVariables,
  DeleteContactListMutation,
  DeleteContactListMutationVariables,
  RenameContactListMutation,
  RenameContactListMutationVariables,
} from 'types/graphql'

import { FieldError, Form, Label, Submit, TextField, useForm } from '@redwoodjs/forms'
import { navigate, routes } from '@redwoodjs/router'
import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<ContactListQuery, ContactListQueryVariables> = gql`
  query ContactListQuery($id: Int!) {
    contactList(id: $id) {
      id
      name
      memberCount
      optedOutCount
      createdAt
      createdByEmail
    }
  }
`

const RENAME: TypedDocumentNode<RenameContactListMutation, RenameContactListMutationVariables> = gql`
  mutation RenameContactListMutation($id: Int!, $name: String!) {
    renameContactList(id: $id, name: $name) {
      id
      name
    }
  }
`

const DELETE: TypedDocumentNode<DeleteContactListMutation, DeleteContactListMutationVariables> = gql`
  mutation DeleteContactListMutation($id: Int!) {
    deleteContactList(id: $id) {
      id
      name
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading the list…</p>

export const Empty = () => <p className="text-slate-600">This list does not exist (any more).</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900">
    {error?.message}
  </p>
)

export const Success = ({ contactList: list }: CellSuccessProps<ContactListQuery, ContactListQueryVariables>) => {
  const can = useCan()
  const renameForm = useForm<{ listName: string }>({ defaultValues: { listName: list.name } })
  const [rename] = useMutation(RENAME, { refetchQueries: ['ContactListsQuery'] })
  const [remove] = useMutation(DELETE, { refetchQueries: ['ContactListsQuery'], awaitRefetchQueries: true })
  return (
    <div className="mb-4">
      <h1 className="text-xl font-semibold">{list.name}</h1>
      <p className="text-sm text-slate-600" data-testid="list-summary">
        {list.memberCount.toLocaleString('en')} contact{list.memberCount === 1 ? '' : 's'}
        {list.optedOutCount > 0 && `, ${list.optedOutCount.toLocaleString('en')} opted out (left out of sends)`}
        {list.createdByEmail && ` · created by ${list.createdByEmail}`}
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <a href={`/api/exportContacts?listId=${list.id}`} className="text-indigo-700 underline" download>
          Export as CSV
        </a>
        {can('send') && (
          <>
            <Form<{ listName: string }>
              formMethods={renameForm}
              aria-label="Rename the list"
              onSubmit={({ listName: name }) =>
                rename({ variables: { id: list.id, name } }).then(
                  () => toast.success('List renamed'),
                  (error: Error) => toast.error(error.message)
                )
              }
            >
              <div className="flex gap-2">
                <Label name="listName" className="sr-only">
                  List name
                </Label>
                <TextField
                  name="listName"
                  className="min-w-0 rounded border border-slate-300 px-2 py-1"
                  validation={{
                    validate: (v: string) => v.trim() !== '' || 'Name the list.',
                    maxLength: { value: 200, message: 'A list name has at most 200 characters.' },
                  }}
                />
                <Submit className="rounded border px-3 py-1">Rename</Submit>
              </div>
              <FieldError name="listName" className="mt-1 block text-sm text-rose-900" />
            </Form>
            <button
              type="button"
              className="text-rose-800 underline"
              onClick={() => {
                if (!window.confirm(`Delete the list “${list.name}”? Its contacts stay in the contact book.`)) return
                remove({ variables: { id: list.id } }).then(
                  () => {
                    toast.success('List deleted')
                    navigate(routes.addressBook())
                  },
                  (error: Error) => toast.error(error.message)
                )
              }}
            >
              Delete list
            </button>
          </>
        )}
      </div>
    </div>
  )
}
