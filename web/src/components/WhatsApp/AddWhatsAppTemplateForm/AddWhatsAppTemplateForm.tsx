import type { CreateWhatsAppTemplateMutation, CreateWhatsAppTemplateMutationVariables } from 'types/graphql'

import { FieldError, Form, Label, Submit, TextField, useForm } from '@redwoodjs/forms'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useWhatsAppTemplateLimits } from 'src/components/WhatsApp/useWhatsAppTemplateLimits'

const CREATE: TypedDocumentNode<CreateWhatsAppTemplateMutation, CreateWhatsAppTemplateMutationVariables> = gql`
  mutation CreateWhatsAppTemplateMutation($input: WhatsAppTemplateInput!) {
    createWhatsAppTemplate(input: $input) {
      id
      name
      languageCode
    }
  }
`

type Values = { name: string; languageCode: string; body: string; parameters: string }

/** The labels as typed: comma-separated, blanks around them and empty ones dropped (as the api does). */
export function parameterLabels(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
}

const field = 'mt-1 block w-full rounded border border-slate-300 px-3 py-2'
const fieldError = 'mt-1 block text-sm text-rose-700'
const hint = 'mt-1 block text-xs text-slate-600'

// The api's words, so the early message and the api's refusal say the same thing.
const NAME_RULE = 'The template name is the name at Meta: lower-case letters, digits and _ (e.g. order_shipped).'
const LANGUAGE_RULE = 'The language code uses an underscore, as WhatsApp requires: e.g. en_US or en.'
const BODY_RULE = 'Give a preview of the template body, with {{1}}, {{2}}... for the parameters.'

/**
 * Adds a Meta-approved template under its name and language at Meta. The
 * checks here come from the api (`whatsAppTemplateLimits`) and only say
 * early what createWhatsAppTemplate would refuse; its refusal (e.g. a
 * template already configured) shows above the fields.
 */
const AddWhatsAppTemplateForm = () => {
  const limits = useWhatsAppTemplateLimits()
  const formMethods = useForm<Values>({ defaultValues: { name: '', languageCode: 'en_US', body: '', parameters: '' } })
  const [create, { loading, error }] = useMutation(CREATE, { refetchQueries: ['WhatsAppTemplateListQuery'] })

  const onSubmit = async (values: Values) => {
    try {
      const { data } = await create({
        variables: {
          input: {
            name: values.name,
            languageCode: values.languageCode,
            body: values.body,
            parameterNames: parameterLabels(values.parameters),
          },
        },
      })
      if (data) {
        const { name, languageCode } = data.createWhatsAppTemplate
        toast.success(`${name} (${languageCode}) added`)
        // The next template is often the same one in another language, or another in this one: keep the language.
        formMethods.reset({ name: '', languageCode: values.languageCode, body: '', parameters: '' })
      }
    } catch {
      // The api's refusal is `error`, shown above the fields.
    }
  }

  return (
    <Form<Values>
      formMethods={formMethods}
      onSubmit={onSubmit}
      aria-label="Add a WhatsApp template"
      className="mb-6 grid max-w-3xl grid-cols-2 gap-3 rounded border border-slate-200 bg-white p-4"
    >
      {error && (
        <p role="alert" className="col-span-2 rounded bg-rose-50 p-2 text-sm text-rose-900">
          {error.message}
        </p>
      )}
      <div className="text-sm">
        <Label name="name" htmlFor="templateName">
          Name at Meta
        </Label>
        <TextField
          name="name"
          id="templateName"
          aria-describedby="templateName-error"
          className={`${field} font-mono`}
          placeholder="order_shipped"
          validation={{
            validate: (v: string) => {
              const name = v.trim()
              if (!name) return 'Enter the template’s name at Meta.'
              if (!limits) return true
              return (new RegExp(limits.namePattern).test(name) && name.length <= limits.maxNameLength) || NAME_RULE
            },
          }}
        />
        <FieldError name="name" id="templateName-error" className={fieldError} />
      </div>
      <div className="text-sm">
        <Label name="languageCode" htmlFor="templateLanguage">
          Language
        </Label>
        <TextField
          name="languageCode"
          id="templateLanguage"
          aria-describedby="templateLanguage-error"
          className={`${field} font-mono`}
          placeholder="en_US"
          validation={{
            validate: (v: string) => {
              const code = v.trim()
              if (!code) return LANGUAGE_RULE
              return !limits || new RegExp(limits.languageCodePattern).test(code) || LANGUAGE_RULE
            },
          }}
        />
        <FieldError name="languageCode" id="templateLanguage-error" className={fieldError} />
      </div>
      <div className="col-span-2 text-sm">
        <Label name="body" htmlFor="templateBody">
          Body preview
        </Label>
        <TextField
          name="body"
          id="templateBody"
          aria-describedby="templateBody-error templateBody-hint"
          className={field}
          placeholder="Your order {{1}} ships {{2}}."
          validation={{
            validate: (v: string) => {
              const body = v.trim()
              if (!body) return BODY_RULE
              return (
                !limits ||
                body.length <= limits.maxBodyLength ||
                `The body has ${body.length} characters; a WhatsApp template body has at most ${limits.maxBodyLength}.`
              )
            },
          }}
        />
        <FieldError name="body" id="templateBody-error" className={fieldError} />
        {limits && (
          <span id="templateBody-hint" className={hint}>
            At most {limits.maxBodyLength} characters.
          </span>
        )}
      </div>
      <div className="col-span-2 text-sm">
        <Label name="parameters" htmlFor="templateParameters">
          Parameter labels, comma-separated
        </Label>
        <TextField
          name="parameters"
          id="templateParameters"
          aria-describedby="templateParameters-error"
          className={field}
          placeholder="order number, delivery day"
          validation={{
            validate: (v: string) => {
              if (!limits) return true
              const labels = parameterLabels(v)
              return (
                (labels.length <= limits.maxParameters && labels.every((l) => l.length <= limits.maxParameterLength)) ||
                `Give at most ${limits.maxParameters} parameter labels, each at most ${limits.maxParameterLength} characters.`
              )
            },
          }}
        />
        <FieldError name="parameters" id="templateParameters-error" className={fieldError} />
      </div>
      <Submit disabled={loading} className="w-fit rounded bg-indigo-600 px-4 py-2 text-white disabled:opacity-60">
        {loading ? 'Adding…' : 'Add template'}
      </Submit>
    </Form>
  )
}

export default AddWhatsAppTemplateForm
