import type { AddOptOutMutation, AddOptOutMutationVariables } from 'types/graphql'

import { FieldError, Form, Label, Submit, TextField, useForm } from '@redwoodjs/forms'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useOptOutLimits } from 'src/components/OptOuts/useOptOutLimits'

export const ADD_OPT_OUT: TypedDocumentNode<AddOptOutMutation, AddOptOutMutationVariables> = gql`
  mutation AddOptOutMutation($input: AddOptOutInput!) {
    addOptOut(input: $input) {
      id
      phoneNumber
    }
  }
`

type Values = { phoneNumber: string; note: string }

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'
const fieldError = 'mt-1 block text-sm text-rose-700'

/**
 * Opts a number out by hand (e.g. asked by phone). The form says early what is missing or too long; the api
 * validates the number like a recipient and has the last word (its refusal shows below the fields).
 */
const AddOptOutForm = () => {
  const limits = useOptOutLimits()
  const formMethods = useForm<Values>({ defaultValues: { phoneNumber: '', note: '' } })
  const [add, { loading, error }] = useMutation(ADD_OPT_OUT, {
    refetchQueries: ['OptOutsQuery'],
    awaitRefetchQueries: true,
  })

  const onSubmit = async ({ phoneNumber, note }: Values) => {
    try {
      const { data } = await add({ variables: { input: { phoneNumber, note: note.trim() || null } } })
      if (data?.addOptOut) {
        toast.success(`${data.addOptOut.phoneNumber} opted out`)
        formMethods.reset()
      }
    } catch {
      // The api's refusal is `error`, shown below.
    }
  }

  return (
    <Form<Values>
      formMethods={formMethods}
      onSubmit={onSubmit}
      aria-label="Add an opt-out"
      className="flex flex-wrap items-start gap-3 rounded border border-slate-200 bg-white p-4"
    >
      <div className="min-w-[14rem] flex-1">
        <Label name="phoneNumber" htmlFor="optOutNumber" className="text-sm font-medium">
          Phone number
        </Label>
        <TextField
          name="phoneNumber"
          id="optOutNumber"
          aria-describedby="optOutNumber-error"
          className={`${field} font-mono`}
          placeholder="+46701234567"
          validation={{ validate: (v: string) => v.trim() !== '' || 'Enter a phone number.' }}
        />
        <FieldError name="phoneNumber" id="optOutNumber-error" className={fieldError} />
      </div>
      <div className="min-w-[14rem] flex-1">
        <Label name="note" htmlFor="optOutNote" className="text-sm font-medium">
          Note{' '}
          <span className="font-normal text-slate-600">
            (optional{limits ? `, at most ${limits.maxNoteLength} characters` : ''})
          </span>
        </Label>
        <TextField
          name="note"
          id="optOutNote"
          aria-describedby="optOutNote-error"
          className={field}
          validation={{
            validate: (v: string) =>
              !limits ||
              v.trim().length <= limits.maxNoteLength ||
              `A note has at most ${limits.maxNoteLength} characters; this one has ${v.trim().length}.`,
          }}
        />
        <FieldError name="note" id="optOutNote-error" className={fieldError} />
      </div>
      <Submit
        disabled={loading}
        className="mt-6 rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {loading ? 'Adding…' : 'Add opt-out'}
      </Submit>
      {error && (
        <p role="alert" className="w-full rounded bg-rose-50 p-2 text-sm text-rose-900">
          {error.message}
        </p>
      )}
    </Form>
  )
}

export default AddOptOutForm
