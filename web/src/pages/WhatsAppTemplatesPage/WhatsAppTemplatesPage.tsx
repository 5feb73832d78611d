import { Metadata } from '@redwoodjs/web'

import AddWhatsAppTemplateForm from 'src/components/WhatsApp/AddWhatsAppTemplateForm/AddWhatsAppTemplateForm'
import WhatsAppTemplateListCell from 'src/components/WhatsApp/WhatsAppTemplateListCell'
import { useCan } from 'src/lib/permissions'

/** The Meta-approved WhatsApp templates staff may choose on Compose. */
const WhatsAppTemplatesPage = () => {
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
      {canManage && <AddWhatsAppTemplateForm />}
      <WhatsAppTemplateListCell />
    </>
  )
}

export default WhatsAppTemplatesPage
