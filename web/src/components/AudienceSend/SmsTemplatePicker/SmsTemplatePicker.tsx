import type {
  DeleteSmsTemplateMutation,
  DeleteSmsTemplateMutationVariables,
  SmsTemplatesQuery,
  SmsTemplatesQueryVariables,
} from 'types/graphql'

import { Label, SelectField, useFormContext } from '@redwoodjs/forms'
import { useMutation, useQuery, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const TEMPLATES: TypedDocumentNode<SmsTemplatesQuery, SmsTemplatesQueryVariables> = gql`
  query SmsTemplatesQuery {
    smsTemplates {
      id
      name
      body
    }
  }
`

const DELETE: TypedDocumentNode<DeleteSmsTemplateMutation, DeleteSmsTemplateMutationVariables> = gql`
  mutation DeleteSmsTemplateMutation($id: Int!) {
    deleteSmsTemplate(id: $id) {
      id
      name
    }
  }
`

type Template = SmsTemplatesQuery['smsTemplates'][number]

/**
 * The saved templates as a field of the surrounding form (`templateId`):
 * picking one hands its body to `onPick`; the one picked can be deleted after
 * a confirmation (the api audits it).
 */
const SmsTemplatePicker = ({ onPick }: { onPick: (template: Template | null) => void }) => {
  const can = useCan()
  const { watch, setValue } = useFormContext<{ templateId: number | null }>()
  const templates = useQuery(TEMPLATES).data?.smsTemplates ?? []
  const [remove, { loading: removing }] = useMutation(DELETE, {
    refetchQueries: ['SmsTemplatesQuery'],
    awaitRefetchQueries: true,
  })
  const pickedId = watch('templateId')
  const picked = templates.find((t) => t.id === pickedId)
  if (templates.length === 0) return null

  const onDelete = async () => {
    if (!picked) return
    if (!window.confirm(`Delete the template “${picked.name}”? The message text stays as it is.`)) return
    try {
      await remove({ variables: { id: picked.id } })
      setValue('templateId', null)
      toast.success(`Template “${picked.name}” deleted`)
    } catch (e) {
      toast.error((e as Error).message)
    }
  }

  return (
    <div>
      <Label name="templateId" className="text-sm font-medium">
        Template
      </Label>
      <div className="flex flex-wrap items-center gap-2">
        <SelectField
          name="templateId"
          className="mt-1 block min-w-0 flex-1 rounded border border-slate-300 px-3 py-2"
          validation={{ valueAsNumber: true }}
          onChange={(e) => onPick(templates.find((t) => t.id === Number(e.target.value)) ?? null)}
        >
          <option value="">None</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </SelectField>
        {picked && can('send') && (
          <button
            type="button"
            disabled={removing}
            onClick={onDelete}
            className="mt-1 rounded border border-rose-300 px-3 py-2 text-sm text-rose-800 hover:bg-rose-50 disabled:opacity-60"
          >
            Delete template
          </button>
        )}
      </div>
    </div>
  )
}

export default SmsTemplatePicker
