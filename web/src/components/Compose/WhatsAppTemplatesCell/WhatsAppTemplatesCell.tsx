import type { WhatsAppTemplatesQuery, WhatsAppTemplatesQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

export const QUERY: TypedDocumentNode<WhatsAppTemplatesQuery, WhatsAppTemplatesQueryVariables> = gql`
  query WhatsAppTemplatesQuery {
    whatsAppTemplates {
      id
      name
      languageCode
      body
      parameterNames
    }
  }
`

export type TemplateChoice = { templateId: number | null; parameters: string[] }
type PickerProps = { choice: TemplateChoice; onChange: (choice: TemplateChoice) => void }

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

export const Loading = () => <p className="text-sm text-slate-600">Loading WhatsApp templates…</p>

export const Empty = () => (
  <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="no-templates">
    No WhatsApp templates are configured, so only free text can be sent, and only to numbers that replied on WhatsApp in
    the last 24 hours. Add a Meta-approved template with{' '}
    <code>yarn rw exec whatsAppTemplate --name order_shipped --language en_US {'--body "…" --parameters "…"'}</code>.
  </p>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
    Could not load the WhatsApp templates: {error?.message}
  </p>
)

export function fillTemplate(body: string, values: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, i) => values[Number(i) - 1] || whole)
}

export const Success = ({
  whatsAppTemplates,
  choice,
  onChange,
}: CellSuccessProps<WhatsAppTemplatesQuery, WhatsAppTemplatesQueryVariables> & PickerProps) => {
  const selected = whatsAppTemplates.find((t) => t.id === choice.templateId)
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="template" className="text-sm font-medium">
          Template
        </label>
        <select
          id="template"
          className={field}
          value={choice.templateId ?? ''}
          onChange={(e) => {
            const id = e.target.value ? Number(e.target.value) : null
            const t = whatsAppTemplates.find((x) => x.id === id)
            onChange({ templateId: id, parameters: t ? t.parameterNames.map(() => '') : [] })
          }}
        >
          <option value="">Free text (only to numbers that replied in the last 24 hours)</option>
          {whatsAppTemplates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.languageCode})
            </option>
          ))}
        </select>
      </div>
      {selected && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Parameters</legend>
          {selected.parameterNames.length === 0 && (
            <p className="text-sm text-slate-600">This template takes no parameters.</p>
          )}
          {selected.parameterNames.map((name, i) => (
            <div key={`${selected.id}-${i}`}>
              <label htmlFor={`param-${i}`} className="text-sm">
                {`{{${i + 1}}}`} {name}
              </label>
              <input
                id={`param-${i}`}
                required
                className={field}
                value={choice.parameters[i] ?? ''}
                onChange={(e) =>
                  onChange({
                    ...choice,
                    parameters: selected.parameterNames.map((_, j) =>
                      j === i ? e.target.value : (choice.parameters[j] ?? '')
                    ),
                  })
                }
              />
            </div>
          ))}
          <p className="rounded bg-slate-50 p-2 text-sm" data-testid="template-preview">
            {fillTemplate(selected.body, choice.parameters)}
          </p>
        </fieldset>
      )}
    </div>
  )
}
