import type {
  CreateAddressBookContactMutation,
  CreateAddressBookContactMutationVariables,
  UpdateAddressBookContactMutation,
  UpdateAddressBookContactMutationVariables,
} from 'types/graphql'

import { FieldError, Form, Label, Submit, TextAreaField, TextField } from '@redwoodjs/forms'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

/** What the address book shows of a contact: the list, and the answers of the mutations that change one. */
export const CONTACT_FIELDS = gql`
  fragment AddressBookContactFields on AddressBookContact {
    id
    phoneNumber
    name
    fields {
      name
      value
    }
    optedOut
    lists {
      id
      name
    }
    updatedAt
    updatedByEmail
  }
`

export const CREATE_CONTACT: TypedDocumentNode<
  CreateAddressBookContactMutation,
  CreateAddressBookContactMutationVariables
> = gql`
  mutation CreateAddressBookContactMutation($input: AddressBookContactInput!) {
    createAddressBookContact(input: $input) {
      ...AddressBookContactFields
    }
  }
  ${CONTACT_FIELDS}
`

export const UPDATE_CONTACT: TypedDocumentNode<
  UpdateAddressBookContactMutation,
  UpdateAddressBookContactMutationVariables
> = gql`
  mutation UpdateAddressBookContactMutation($id: Int!, $input: AddressBookContactInput!) {
    updateAddressBookContact(id: $id, input: $input) {
      ...AddressBookContactFields
    }
  }
  ${CONTACT_FIELDS}
`

export type EditableContact = {
  id: number
  phoneNumber: string
  name?: string | null
  fields: { name: string; value: string }[]
}

type FormValues = { phoneNumber: string; name: string; fields: string }

/** "name: value" per line, as typed in the fields box. */
export function parseFieldLines(text: string): { name: string; value: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf(':')
      return at < 0 ? { name: line, value: '' } : { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() }
    })
}

const input =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

/** Adds a contact, or edits one when `contact` is given; the api normalises the number and checks the rest. */
const AddressBookContactForm = ({
  contact,
  listId,
  onDone,
}: {
  contact?: EditableContact
  /** A new contact joins this list. */
  listId?: number
  onDone?: () => void
}) => {
  const refetch = {
    refetchQueries: ['AddressBookQuery', 'ContactListsQuery', 'ContactListQuery'],
    awaitRefetchQueries: true,
  }
  const [create, creating] = useMutation(CREATE_CONTACT, refetch)
  const [update, updating] = useMutation(UPDATE_CONTACT, refetch)
  const error = (contact ? updating : creating).error

  const onSubmit = async (values: FormValues, { reset }: { reset: () => void } = { reset: () => {} }) => {
    const payload = {
      phoneNumber: values.phoneNumber,
      name: values.name || null,
      fields: parseFieldLines(values.fields),
    }
    if (contact) {
      const { data } = await update({ variables: { id: contact.id, input: payload } })
      if (data) toast.success(`${data.updateAddressBookContact.phoneNumber} saved`)
    } else {
      const { data } = await create({ variables: { input: { ...payload, ...(listId ? { listIds: [listId] } : {}) } } })
      if (data) toast.success(`${data.createAddressBookContact.phoneNumber} added`)
      reset()
    }
    onDone?.()
  }

  return (
    <Form<FormValues>
      onSubmit={(values, formMethods) => onSubmit(values, formMethods as never).catch(() => {})}
      error={error}
      aria-label={contact ? `Edit ${contact.phoneNumber}` : 'Add a contact'}
      className="grid gap-3 rounded border border-slate-200 bg-white p-4 sm:grid-cols-3"
      config={{
        defaultValues: {
          phoneNumber: contact?.phoneNumber ?? '',
          name: contact?.name ?? '',
          fields: (contact?.fields ?? []).map((f) => `${f.name}: ${f.value}`).join('\n'),
        },
      }}
    >
      {/* The api's own words: Redwood's FormError replaces a UserInputError's message ("not a valid number") by
          "Errors prevented this form from being saved". */}
      {error && (
        <p role="alert" className="rounded bg-rose-50 p-2 text-sm text-rose-900 sm:col-span-3">
          {error.message}
        </p>
      )}
      <div>
        <Label name="phoneNumber" className="text-sm font-medium">
          Phone number
        </Label>
        <TextField
          name="phoneNumber"
          className={`${input} font-mono`}
          placeholder="+46701234567"
          validation={{ required: { value: true, message: 'Enter a phone number' } }}
        />
        <FieldError name="phoneNumber" className="text-sm text-rose-800" />
      </div>
      <div>
        <Label name="name" className="text-sm font-medium">
          Name
        </Label>
        <TextField
          name="name"
          className={input}
          validation={{ maxLength: { value: 200, message: 'At most 200 characters' } }}
        />
        <FieldError name="name" className="text-sm text-rose-800" />
      </div>
      <div>
        <Label name="fields" className="text-sm font-medium">
          Fields <span className="font-normal text-slate-600">(one “name: value” a line)</span>
        </Label>
        <TextAreaField name="fields" rows={2} className={input} placeholder="City: Oslo" />
      </div>
      <div className="flex gap-2 sm:col-span-3">
        <Submit
          disabled={creating.loading || updating.loading}
          className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {contact ? 'Save contact' : 'Add contact'}
        </Submit>
        {contact && onDone && (
          <button type="button" onClick={onDone} className="rounded border border-slate-300 px-4 py-2">
            Cancel
          </button>
        )}
      </div>
    </Form>
  )
}

export default AddressBookContactForm
