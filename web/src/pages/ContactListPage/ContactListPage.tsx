import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import AddressBookContactForm from 'src/components/AddressBook/AddressBookContactForm/AddressBookContactForm'
import ContactListCell from 'src/components/AddressBook/ContactListCell'
import SearchableContacts from 'src/components/AddressBook/SearchableContacts/SearchableContacts'
import { useCan } from 'src/lib/permissions'

/** One contact list: its members, export, rename and delete. */
const ContactListPage = ({ id }: { id: number }) => {
  const can = useCan()
  return (
    <>
      <Metadata title="Contact list" />
      <Link to={routes.addressBook()} className="text-sm text-indigo-700 underline">
        ← Contacts
      </Link>
      <ContactListCell id={id} />
      {can('send') && <AddressBookContactForm listId={id} />}
      <SearchableContacts heading="Members" listId={id} />
    </>
  )
}

export default ContactListPage
