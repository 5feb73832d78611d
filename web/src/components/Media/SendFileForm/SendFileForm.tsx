import type {
  MediaLimitsQuery,
  MediaLimitsQueryVariables,
  SendWhatsAppMediaMutation,
  SendWhatsAppMediaMutationVariables,
} from 'types/graphql'

import { FieldError, FileField, Form, SelectField, Submit, TextField, useForm } from '@redwoodjs/forms'
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

type FileValues = { file: FileList | null; templateId: string; templateValues: string[] }

const fieldError = 'w-full text-xs text-rose-800'

/**
 * Sends a picture or document on WhatsApp to one number: as itself while the
 * 24-hour window is open, or at any time as the header of a media template.
 * The size and types come from the api; the api checks both again, and the
 * type in the bytes, whatever the browser says.
 */
const SendFileForm = ({ phoneNumber, windowOpen }: { phoneNumber: string; windowOpen: boolean }) => {
  const { data } = useQuery(LIMITS)
  const formMethods = useForm<FileValues>({ defaultValues: { file: null, templateId: '', templateValues: [] } })
  const { errors } = formMethods.formState
  const [files, templateId] = formMethods.watch(['file', 'templateId'])
  const file = files?.[0] ?? null
  const template = data?.whatsAppTemplates.find((t) => String(t.id) === templateId)
  const [send, { loading }] = useMutation(SEND_MEDIA, {
    refetchQueries: ['ContactThreadQuery'],
    onCompleted: (d) => {
      if (d.sendWhatsAppMedia.submitState === 'FAILED') toast.error(d.sendWhatsAppMedia.submitError ?? 'Not sent')
      else toast.success('File sent')
      // The chosen file goes with the send: the form is empty again.
      formMethods.reset()
    },
    onError: (error) => toast.error(error.message),
  })
  const limit = data?.mediaLimits.uploadMaxBytes
  const tooBig = !!file && !!limit && file.size > limit
  const needsTemplate = !windowOpen && !template
  return (
    <Form
      formMethods={formMethods}
      aria-label="Send a file"
      className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white p-3 text-sm"
      onSubmit={async (values: FileValues) => {
        const chosen = values.file?.[0]
        if (!chosen) return
        await send({
          variables: {
            input: {
              phoneNumber,
              fileName: chosen.name,
              contentBase64: await readAsBase64(chosen),
              ...(template ? { templateId: template.id, templateParameters: values.templateValues } : {}),
            },
          },
        })
      }}
    >
      <label htmlFor="mediaFile">
        Send a picture or document
        <FileField
          id="mediaFile"
          name="file"
          className="ml-2"
          accept={data?.mediaLimits.allowedTypes.join(',')}
          aria-invalid={!!errors.file}
          aria-describedby="mediaFile-error"
          validation={{
            validate: {
              chosen: (list: FileList | null) => !!list?.[0] || 'Choose a picture or document to send.',
              // The api refuses more; said here before the bytes are read and uploaded.
              small: (list: FileList | null) =>
                !limit ||
                !list?.[0] ||
                list[0].size <= limit ||
                `${list[0].name} is ${formatSize(list[0].size)}: too large`,
            },
          }}
        />
      </label>
      {limit && <span className="text-xs text-slate-600">at most {formatSize(limit)}</span>}
      <label htmlFor="mediaTemplate" className="block max-w-full">
        As
        <SelectField
          id="mediaTemplate"
          name="templateId"
          className="ml-2 max-w-[calc(100%-0.5rem)] rounded border border-slate-300 px-1 py-1"
          onChange={() => formMethods.setValue('templateValues', [])}
        >
          <option value="">
            {windowOpen ? 'the file itself' : 'the file itself (window closed: choose a template)'}
          </option>
          {data?.whatsAppTemplates.map((t) => (
            <option key={t.id} value={String(t.id)}>
              header of template {t.name} ({t.languageCode})
            </option>
          ))}
        </SelectField>
      </label>
      {template?.parameterNames.map((name, i) => (
        <label key={`${template.id}-${i}`} htmlFor={`mediaTemplateValue${i}`}>
          {`{{${i + 1}}} ${name}`}
          <TextField
            id={`mediaTemplateValue${i}`}
            name={`templateValues.${i}`}
            className="ml-1 rounded border border-slate-300 px-1 py-1"
            aria-invalid={!!errors.templateValues?.[i]}
            aria-describedby={`mediaTemplateValue${i}-error`}
            validation={{ validate: (v: string) => v.trim() !== '' || `Fill in ${name}.` }}
          />
        </label>
      ))}
      {tooBig ? (
        // Said as soon as the file is chosen, not only on Send.
        <span id="mediaFile-error" role="alert" className="text-xs text-rose-800">
          {file.name} is {formatSize(file.size)}: too large
        </span>
      ) : (
        <FieldError id="mediaFile-error" name="file" className={fieldError} />
      )}
      {template?.parameterNames.map((_, i) => (
        <FieldError key={i} id={`mediaTemplateValue${i}-error`} name={`templateValues.${i}`} className={fieldError} />
      ))}
      <Submit
        disabled={tooBig || needsTemplate || loading}
        className="rounded bg-indigo-700 px-3 py-1 text-white disabled:opacity-50"
      >
        {loading ? 'Sending…' : 'Send file'}
      </Submit>
    </Form>
  )
}

export default SendFileForm
