import { useState } from 'react'

import type { AddOptOutMutation, AddOptOutMutationVariables } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

export const ADD_OPT_OUT: TypedDocumentNode<AddOptOutMutation, AddOptOutMutationVariables> = gql`
  mutation AddOptOutMutation($input: AddOptOutInput!) {
    addOptOut(input: $input) {
      id
      phoneNumber
    }
  }
`

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

/** Opts a number out by hand (e.g. asked by phone); the server validates it like a recipient. */
const AddOptOutForm = () => {
  const [phoneNumber, setPhoneNumber] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [add, { loading }] = useMutation(ADD_OPT_OUT, { refetchQueries: ['OptOutsQuery'], awaitRefetchQueries: true })

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const { data } = await add({ variables: { input: { phoneNumber, note: note || null } } })
      if (data?.addOptOut) {
        toast.success(`${data.addOptOut.phoneNumber} opted out`)
        setPhoneNumber('')
        setNote('')
      }
    } catch (e) {
      setError((e as Error).message)
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Add an opt-out"
      className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-4"
    >
      <div className="min-w-[14rem] flex-1">
        <label htmlFor="optOutNumber" className="text-sm font-medium">
          Phone number
        </label>
        <input
          id="optOutNumber"
          required
          className={`${field} font-mono`}
          placeholder="+46701234567"
          value={phoneNumber}
          onChange={(e) => setPhoneNumber(e.target.value)}
        />
      </div>
      <div className="min-w-[14rem] flex-1">
        <label htmlFor="optOutNote" className="text-sm font-medium">
          Note <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <input
          id="optOutNote"
          maxLength={500}
          className={field}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <button
        type="submit"
        disabled={loading}
        className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {loading ? 'Adding…' : 'Add opt-out'}
      </button>
      {error && (
        <p role="alert" className="w-full rounded bg-rose-50 p-2 text-sm text-rose-900">
          {error}
        </p>
      )}
    </form>
  )
}

export default AddOptOutForm
