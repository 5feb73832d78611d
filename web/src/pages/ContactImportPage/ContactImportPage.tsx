import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import ContactImportCell from 'src/components/AddressBook/ContactImportCell'

/** An uploaded contact file: the column mapping, then the import's progress and its bad rows. */
const ContactImportPage = ({ id }: { id: number }) => (
  <>
    <Metadata title="Import contacts" />
    <Link to={routes.addressBook()} className="text-sm text-indigo-700 underline">
      ← Contacts
    </Link>
    <h1 className="mb-4 text-xl font-semibold">Import contacts</h1>
    <ContactImportCell id={id} />
  </>
)

export default ContactImportPage
