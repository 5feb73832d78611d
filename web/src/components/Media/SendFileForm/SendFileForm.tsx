import { useState } from 'react'

import type {
  MediaLimitsQuery,
  MediaLimitsQueryVariables,
  SendWhatsAppMediaMutation,
  SendWhatsAppMediaMutationVariables,
} from 'types/graphql'

import { useMutation, useQuery, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { formatSize } from 'src/components/Media/MediaAttachment/MediaAttachment'
import { readAsBase64 } from 'src/lib/readAsBase64'

const LIMITS: TypedDocumentNode<MediaLimitsQuery, MediaLimitsQueryVariables> = gql`
  query MediaLimitsQuery {
    mediaLimits {
      uploadMaxBytes
      allowedTypes
    }
    whatsAppTemplates {
      id
      name
      languageCode
      parameterNames
    }
  }
`

export const SEND_MEDIA: TypedDocumentNode<SendWhatsAppMediaMutation, SendWhatsAppMediaMutationVariables> = gql`
  mutation SendWhatsAppMediaMutation($input: SendWhatsAppMediaInput!) {
    sendWhatsAppMedia(input: $input) {
      id
      submitState
      submitError
    }
  }
`

/**
 * Sends a picture or document on WhatsApp to one number: as itself while the
 * 24-hour window is open, or at any time as the header of a media template.
 * The size and types come from the api; the api checks both again, and the
 * type in the bytes, whatever the browser says.
 */
const SendFileForm = ({ phoneNumber, windowOpen }: { phoneNumber: string; windowOpen: boolean }) => {
  const { data } = useQuery(LIMITS)
  const [file, setFile] = useState<File | null>(null)
  const [templateId, setTemplateId] = useState('')
  const [values, setValues] = useState<string[]>([])
  const template = data?.whatsAppTemplates.find((t) => String(t.id) === templateId)
  const [send, { loading }] = useMutation(SEND_MEDIA, {
    refetchQueries: ['ContactThreadQuery'],
    onCompleted: (d) => {
      if (d.sendWhatsAppMedia.submitState === 'FAILED') toast.error(d.sendWhatsAppMedia.submitError ?? 'Not sent')
      else toast.success('File sent')
      setFile(null)
    },
    onError: (error) => toast.error(error.message),
  })
  const limit = data?.mediaLimits.uploadMaxBytes
  const tooBig = !!file && !!limit && file.size > limit
  const needsTemplate = !windowOpen && !template
  return (
    <form
      aria-label="Send a file"
      className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white p-3 text-sm"
      onSubmit={async (e) => {
        e.preventDefault()
        if (!file || tooBig || needsTemplate) return
        const form = e.currentTarget
        const contentBase64 = await readAsBase64(file)
        await send({
          variables: {
            input: {
              phoneNumber,
              fileName: file.name,
              contentBase64,
              ...(template ? { templateId: template.id, templateParameters: values } : {}),
            },
          },
        })
        // The chosen file goes with the send: the field is empty again.
        form.reset()
      }}
    >
      <label htmlFor="mediaFile">
        Send a picture or document
        <input
          id="mediaFile"
          type="file"
          className="ml-2"
          accept={data?.mediaLimits.allowedTypes.join(',')}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      {limit && <span className="text-xs text-slate-600">at most {formatSize(limit)}</span>}
      <label htmlFor="mediaTemplate" className="block max-w-full">
        As
        <select
          id="mediaTemplate"
          className="ml-2 max-w-[calc(100%-0.5rem)] rounded border border-slate-300 px-1 py-1"
          value={templateId}
          onChange={(e) => {
            setTemplateId(e.target.value)
            setValues([])
          }}
        >
          <option value="">
            {windowOpen ? 'the file itself' : 'the file itself (window closed: choose a template)'}
          </option>
          {data?.whatsAppTemplates.map((t) => (
            <option key={t.id} value={String(t.id)}>
              header of template {t.name} ({t.languageCode})
            </option>
          ))}
        </select>
      </label>
      {template?.parameterNames.map((name, i) => (
        <label key={name + i} htmlFor={`mediaTemplateValue${i}`}>
          {`{{${i + 1}}} ${name}`}
          <input
            id={`mediaTemplateValue${i}`}
            className="ml-1 rounded border border-slate-300 px-1 py-1"
            value={values[i] ?? ''}
            onChange={(e) => setValues((v) => Object.assign([...v], { [i]: e.target.value }))}
          />
        </label>
      ))}
      {tooBig && (
        <span role="alert" className="text-xs text-rose-800">
          {file!.name} is {formatSize(file!.size)}: too large
        </span>
      )}
      <button
        type="submit"
        disabled={!file || tooBig || needsTemplate || loading}
        className="rounded bg-indigo-700 px-3 py-1 text-white disabled:opacity-50"
      >
        {loading ? 'Sending…' : 'Send file'}
      </button>
    </form>
  )
}

export default SendFileForm
