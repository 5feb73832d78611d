import type {
  DeleteWhatsAppTemplateMutation,
  DeleteWhatsAppTemplateMutationVariables,
  WhatsAppTemplateListQuery,
  WhatsAppTemplateListQueryVariables,
} from 'types/graphql'

import { useMutation, type CellFailureProps, type CellSuccessProps, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<WhatsAppTemplateListQuery, WhatsAppTemplateListQueryVariables> = gql`
  query WhatsAppTemplateListQuery {
    whatsAppTemplates {
      id
      name
      languageCode
      body
      parameterNames
      createdAt
    }
  }
`

const DELETE: TypedDocumentNode<DeleteWhatsAppTemplateMutation, DeleteWhatsAppTemplateMutationVariables> = gql`
  mutation DeleteWhatsAppTemplateMutation($id: Int!) {
    deleteWhatsAppTemplate(id: $id) {
      id
      name
    }
  }
`

export const Loading = () => <p className="text-slate-600">Loading templates…</p>

export const Empty = () => (
  <p className="rounded bg-amber-50 p-3 text-amber-900">
    No templates yet. Without one, WhatsApp can only reach numbers that replied in the last 24 hours.
  </p>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the templates: {error?.message}
  </p>
)

export const Success = ({
  whatsAppTemplates,
}: CellSuccessProps<WhatsAppTemplateListQuery, WhatsAppTemplateListQueryVariables>) => {
  const [remove, { loading }] = useMutation(DELETE, {
    refetchQueries: ['WhatsAppTemplateListQuery'],
    onCompleted: (data) => toast.success(`${data.deleteWhatsAppTemplate.name} removed`),
    onError: (error) => toast.error(error.message),
  })
  const canRemove = useCan()('administer')
  return (
    // A wide row (a long reason, many parameters) scrolls in its own box, never the page (a phone is 390 px).
    <div className="overflow-x-auto">
      <table className="w-full rounded border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase text-slate-600">
          <tr>
            <th className="p-2">Name</th>
            <th className="p-2">Language</th>
            <th className="p-2">Body</th>
            <th className="p-2">Parameters</th>
            <th className="p-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {whatsAppTemplates.map((t) => (
            <tr key={t.id}>
              <td className="p-2 font-mono">{t.name}</td>
              <td className="p-2 font-mono">{t.languageCode}</td>
              <td className="p-2">{t.body}</td>
              <td className="p-2">{t.parameterNames.map((p, i) => `{{${i + 1}}} ${p}`).join(', ') || '—'}</td>
              <td className="p-2 text-right">
                {canRemove && (
                  <button
                    type="button"
                    disabled={loading}
                    aria-label={`Remove ${t.name} (${t.languageCode})`}
                    onClick={() => remove({ variables: { id: t.id } })}
                    className="text-rose-700 underline disabled:opacity-60"
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
