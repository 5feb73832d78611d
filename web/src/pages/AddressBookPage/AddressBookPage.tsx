import { Metadata } from '@redwoodjs/web'

import AddressBookContactForm from 'src/components/AddressBook/AddressBookContactForm/AddressBookContactForm'
import ContactImportUpload from 'src/components/AddressBook/ContactImportUpload/ContactImportUpload'
import ContactListsCell from 'src/components/AddressBook/ContactListsCell'
import SearchableContacts from 'src/components/AddressBook/SearchableContacts/SearchableContacts'
import { useCan } from 'src/lib/permissions'

/** The contact book: contacts, lists, and CSV import. (A number's WhatsApp thread is ContactPage.) */
const AddressBookPage = () => {
  const can = useCan()
  return (
    <>
      <Metadata title="Contacts" />
      <h1 className="mb-1 text-xl font-semibold">Contacts</h1>
      <p className="mb-4 text-sm text-slate-600">
        One contact per number, with a name and any fields; lists group them for sending. Opted-out contacts stay in the
        book and are left out of sends.
      </p>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0">
          {can('send') && <AddressBookContactForm />}
          <SearchableContacts heading="All contacts" placeholder="name or part of a number" />
        </div>
        <aside className="min-w-0">
          <h2 className="mb-2 font-semibold">Lists</h2>
          <ContactListsCell />
          {can('send') && (
            <div className="mt-6">
              <ContactImportUpload />
            </div>
          )}
        </aside>
      </div>
    </>
  )
}

export default AddressBookPage
