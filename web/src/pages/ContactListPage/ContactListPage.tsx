import { useState } from 'react'

import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import AddressBookCell from 'src/components/AddressBook/AddressBookCell'
import AddressBookContactForm from 'src/components/AddressBook/AddressBookContactForm/AddressBookContactForm'
import ContactListCell from 'src/components/AddressBook/ContactListCell'
import { useCan } from 'src/lib/permissions'

/** One contact list: its members, export, rename and delete. */
const ContactListPage = ({ id }: { id: number }) => {
  const [page, setPage] = useState(1)
  const [search, setSearch] = useState('')
  const can = useCan()
  return (
    <>
      <Metadata title="Contact list" />
      <Link to={routes.addressBook()} className="text-sm text-indigo-700 underline">
        ← Contacts
      </Link>
      <ContactListCell id={id} />
      {can('send') && <AddressBookContactForm listId={id} />}
      <div className="mb-2 mt-6 flex items-end justify-between gap-3">
        <h2 className="font-semibold">Members</h2>
        <label className="text-sm">
          <span className="mr-2">Search</span>
          <input
            type="search"
            className="rounded border border-slate-300 px-2 py-1"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value)
              setPage(1)
            }}
          />
        </label>
      </div>
      <AddressBookCell listId={id} search={search.trim() || undefined} page={page} onPage={setPage} />
    </>
  )
}

export default ContactListPage
