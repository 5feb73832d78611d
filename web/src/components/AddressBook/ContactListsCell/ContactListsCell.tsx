import type {
  ContactListsQuery,
  ContactListsQueryVariables,
  CreateContactListMutation,
  CreateContactListMutationVariables,
} from 'types/graphql'

import { FieldError, Form, Label, Submit, TextField, useForm } from '@redwoodjs/forms'
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
  const formMethods = useForm<{ newListName: string }>({ defaultValues: { newListName: '' } })
  const [create, { loading }] = useMutation(CREATE_LIST, {
    refetchQueries: ['ContactListsQuery'],
    awaitRefetchQueries: true,
  })
  return (
    <Form<{ newListName: string }>
      formMethods={formMethods}
      aria-label="New list"
      className="mt-3"
      onSubmit={({ newListName: name }) =>
        create({ variables: { name } }).then(
          () => {
            toast.success(`List “${name.trim()}” created`)
            formMethods.reset()
          },
          (error: Error) => toast.error(error.message)
        )
      }
    >
      <div className="flex gap-2">
        <Label name="newListName" className="sr-only">
          New list name
        </Label>
        <TextField
          name="newListName"
          className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
          placeholder="New list"
          validation={{
            validate: (v: string) => v.trim() !== '' || 'Name the list.',
            maxLength: { value: 200, message: 'A list name has at most 200 characters.' },
          }}
        />
        <Submit disabled={loading} className="rounded border border-indigo-600 px-3 py-1 text-indigo-700">
          Create
        </Submit>
      </div>
      <FieldError name="newListName" className="mt-1 block text-sm text-rose-900" />
    </Form>
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
