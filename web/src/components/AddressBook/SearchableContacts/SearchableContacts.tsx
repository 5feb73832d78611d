import { useState } from 'react'

import AddressBookCell from 'src/components/AddressBook/AddressBookCell'

type Props = {
  heading: string
  /** Only this list's members; the whole book without it. */
  listId?: number
  placeholder?: string
}

/** A heading with a search box over the address book's contacts, paged; a new search starts at page 1. */
const SearchableContacts = ({ heading, listId, placeholder }: Props) => {
  const [search, setSearch] = useState('')
  const [page, setPage] = useState(1)
  return (
    <>
      <div className="mb-2 mt-6 flex flex-wrap items-end justify-between gap-3">
        <h2 className="font-semibold">{heading}</h2>
        <label className="text-sm">
          <span className="mr-2">Search</span>
          <input
            type="search"
            className="w-48 max-w-full rounded border border-slate-300 px-2 py-1"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value)
              setPage(1)
            }}
            placeholder={placeholder}
          />
        </label>
      </div>
      <AddressBookCell listId={listId} search={search.trim() || undefined} page={page} onPage={setPage} />
    </>
  )
}

export default SearchableContacts
