import { useState } from 'react'

import type { InviteUserMutation, InviteUserMutationVariables, StaffRole } from 'types/graphql'

import { useMutation } from '@redwoodjs/web'
import type { TypedDocumentNode } from '@redwoodjs/web'

import type { UserLinkShown } from 'src/components/Users/UserLinkNotice/UserLinkNotice'

export const INVITE_USER: TypedDocumentNode<InviteUserMutation, InviteUserMutationVariables> = gql`
  mutation InviteUserMutation($input: InviteUserInput!) {
    inviteUser(input: $input) {
      purpose
      token
      expiresAt
      user {
        id
        email
      }
    }
  }
`

type Props = { roles: { role: StaffRole; description: string }[]; onInvited: (link: UserLinkShown) => void }

/** Invites a colleague by email: the account and a single-use link the admin passes on. */
const InviteUserForm = ({ roles, onInvited }: Props) => {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<StaffRole>('viewer')
  const [error, setError] = useState<string | null>(null)
  const [invite, { loading }] = useMutation(INVITE_USER, {
    refetchQueries: ['UsersQuery'],
    onCompleted: (data) => {
      setEmail('')
      onInvited(data.inviteUser)
    },
    onError: (e) => setError(e.message),
  })
  return (
    <form
      className="mb-6 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault()
        setError(null)
        invite({ variables: { input: { email, role } } })
      }}
    >
      <label className="text-sm">
        <span className="block font-medium">Email</span>
        <input
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="mt-1 w-72 rounded border border-slate-300 px-2 py-1.5"
        />
      </label>
      <label className="text-sm">
        <span className="block font-medium">Role</span>
        <select
          aria-label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as StaffRole)}
          className="mt-1 rounded border border-slate-300 px-2 py-1.5"
        >
          {roles.map((r) => (
            <option key={r.role} value={r.role} title={r.description}>
              {r.role}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={loading}
        className="rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {loading ? 'Inviting…' : 'Invite'}
      </button>
      {error && (
        <p role="alert" className="w-full text-sm text-rose-800">
          {error}
        </p>
      )}
    </form>
  )
}

export default InviteUserForm
