import { useState } from 'react'

import type { CreateWhatsAppTemplateMutation, CreateWhatsAppTemplateMutationVariables } from 'types/graphql'

import { Metadata, useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import WhatsAppTemplateListCell from 'src/components/WhatsApp/WhatsAppTemplateListCell'
import { useCan } from 'src/lib/permissions'

const CREATE: TypedDocumentNode<CreateWhatsAppTemplateMutation, CreateWhatsAppTemplateMutationVariables> = gql`
  mutation CreateWhatsAppTemplateMutation($input: WhatsAppTemplateInput!) {
    createWhatsAppTemplate(input: $input) {
      id
      name
      languageCode
    }
  }
`

const field = 'mt-1 block w-full rounded border border-slate-300 px-3 py-2'

/** The Meta-approved WhatsApp templates staff may choose on Compose. */
const WhatsAppTemplatesPage = () => {
  const [name, setName] = useState('')
  const [languageCode, setLanguageCode] = useState('en_US')
  const [body, setBody] = useState('')
  const [parameters, setParameters] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [create, { loading }] = useMutation(CREATE, {
    refetchQueries: ['WhatsAppTemplateListQuery'],
    onCompleted: (data) => {
      toast.success(`${data.createWhatsAppTemplate.name} (${data.createWhatsAppTemplate.languageCode}) added`)
      setName('')
      setBody('')
      setParameters('')
    },
    onError: (e) => setError(e.message),
  })
  const canManage = useCan()('administer')
  return (
    <>
      <Metadata title="WhatsApp templates" />
      <h1 className="text-xl font-semibold">WhatsApp templates</h1>
      <p className="mb-4 text-sm text-slate-600">
        Outside the 24-hour window after a contact&apos;s last reply, WhatsApp only delivers templates approved by Meta.
        Add each one here under its name and language at Meta, with its parameters in the order of {'{{1}}'}, {'{{2}}'}…
        in its text.
      </p>
      {canManage && (
        <details className="mb-4 text-xs text-slate-600" data-testid="template-wire-format">
          <summary className="cursor-pointer">How the desk sends them to Sinch</summary>
          <p className="mt-1">
            The parameters go to the Conversation API as <code>body[1]text</code>, <code>body[2]text</code>… in the
            order listed.
          </p>
        </details>
      )}
      {canManage && (
        <form
          className="mb-6 grid max-w-3xl grid-cols-2 gap-3 rounded border border-slate-200 bg-white p-4"
          onSubmit={(e) => {
            e.preventDefault()
            setError(null)
            create({
              variables: {
                input: {
                  name,
                  languageCode,
                  body,
                  parameterNames: parameters
                    .split(',')
                    .map((p) => p.trim())
                    .filter(Boolean),
                },
              },
            })
          }}
        >
          {error && (
            <p role="alert" className="col-span-2 rounded bg-rose-50 p-2 text-sm text-rose-900">
              {error}
            </p>
          )}
          <label className="text-sm">
            Name at Meta
            <input
              required
              className={`${field} font-mono`}
              placeholder="order_shipped"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="text-sm">
            Language
            <input
              required
              className={`${field} font-mono`}
              placeholder="en_US"
              value={languageCode}
              onChange={(e) => setLanguageCode(e.target.value)}
            />
          </label>
          <label className="col-span-2 text-sm">
            Body preview
            <input
              required
              className={field}
              placeholder="Your order {{1}} ships {{2}}."
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          </label>
          <label className="col-span-2 text-sm">
            Parameter labels, comma-separated
            <input
              className={field}
              placeholder="order number, delivery day"
              value={parameters}
              onChange={(e) => setParameters(e.target.value)}
            />
          </label>
          <button
            type="submit"
            disabled={loading}
            className="w-fit rounded bg-indigo-600 px-4 py-2 text-white disabled:opacity-60"
          >
            {loading ? 'Adding…' : 'Add template'}
          </button>
        </form>
      )}
      <WhatsAppTemplateListCell />
    </>
  )
}

export default WhatsAppTemplatesPage
