import { useState } from 'react'

import { Metadata } from '@redwoodjs/web'

import UserLinkNotice, { type UserLinkShown } from 'src/components/Users/UserLinkNotice/UserLinkNotice'
import UsersCell from 'src/components/Users/UsersCell'

/** Admins: invite colleagues, change roles, disable accounts, make password-reset links. */
const UsersPage = () => {
  const [link, setLink] = useState<UserLinkShown | null>(null)
  return (
    <>
      <Metadata title="Users" />
      <h1 className="text-xl font-semibold">Users</h1>
      <p className="mb-4 text-sm text-slate-600">
        Invite a colleague by email: the desk creates the account and a single-use link (valid 7 days) for you to pass
        on — <strong>no email is sent</strong>, as the desk assumes no mail server. A disabled user is signed out at
        their next request. The desk always keeps at least one active admin.
      </p>
      {link && <UserLinkNotice link={link} />}
      <UsersCell onLink={setLink} />
    </>
  )
}

export default UsersPage
