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

const LIMITS: TypedDocumentNode<MediaLimitsQuery, MediaLimitsQueryVariables> = gql`
  query MediaLimitsQuery {
    mediaLimits {
      uploadMaxBytes
      allowedTypes
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

/** The file as base64, without the data: URL prefix. */
const readAsBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })

/**
 * Sends a picture or document on WhatsApp to one number (its window must be
 * open). The size and types come from the api; the api checks both again,
 * and the type in the bytes, whatever the browser says.
 */
const SendFileForm = ({ phoneNumber }: { phoneNumber: string }) => {
  const { data } = useQuery(LIMITS)
  const [file, setFile] = useState<File | null>(null)
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
  return (
    <form
      aria-label="Send a file"
      className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white p-3 text-sm"
      onSubmit={async (e) => {
        e.preventDefault()
        if (!file || tooBig) return
        const contentBase64 = await readAsBase64(file)
        await send({ variables: { input: { phoneNumber, fileName: file.name, contentBase64 } } })
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
      {tooBig && (
        <span role="alert" className="text-xs text-rose-800">
          {file!.name} is {formatSize(file!.size)}: too large
        </span>
      )}
      <button
        type="submit"
        disabled={!file || tooBig || loading}
        className="rounded bg-indigo-700 px-3 py-1 text-white disabled:opacity-50"
      >
        {loading ? 'Sending…' : 'Send file'}
      </button>
    </form>
  )
}

export default SendFileForm
