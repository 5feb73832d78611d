import { useState } from 'react'

import type { SaveSmsTemplateMutation, SaveSmsTemplateMutationVariables } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

const SAVE: TypedDocumentNode<SaveSmsTemplateMutation, SaveSmsTemplateMutationVariables> = gql`
  mutation SaveSmsTemplateMutation($input: SmsTemplateInput!) {
    saveSmsTemplate(input: $input) {
      id
      name
      body
    }
  }
`

/** Saves the body being written as a named template (the api checks its placeholders). */
const SaveSmsTemplate = ({ body }: { body: string }) => {
  const [name, setName] = useState('')
  const [save, { loading }] = useMutation(SAVE, {
    refetchQueries: ['SmsTemplatesQuery'],
    onCompleted: (data) => {
      toast.success(`Saved as "${data.saveSmsTemplate.name}"`)
      setName('')
    },
    onError: (error) => toast.error(error.message),
  })
  return (
    <div className="flex flex-wrap items-end gap-2 text-sm">
      <label className="block">
        <span>Template name</span>
        <input
          name="templateName"
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="mt-1 block rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <button
        type="button"
        disabled={loading || !name.trim() || !body.trim()}
        onClick={() => save({ variables: { input: { name, body } } })}
        className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60"
      >
        Save as template
      </button>
    </div>
  )
}

export default SaveSmsTemplate
