import type {
  CreateUserLinkMutation,
  CreateUserLinkMutationVariables,
  SetUserDisabledMutation,
  SetUserDisabledMutationVariables,
  SetUserRoleMutation,
  SetUserRoleMutationVariables,
  StaffRole,
  UsersQuery,
  UsersQueryVariables,
} from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'
import { useMutation } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useAuth } from 'src/auth'
import InviteUserForm from 'src/components/Users/InviteUserForm/InviteUserForm'
import type { UserLinkShown } from 'src/components/Users/UserLinkNotice/UserLinkNotice'
import { formatDate, formatDateTime } from 'src/lib/formatTime'

export const QUERY: TypedDocumentNode<UsersQuery, UsersQueryVariables> = gql`
  query UsersQuery {
    users {
      id
      email
      name
      role
      createdAt
      activatedAt
      disabledAt
      pendingLinkExpiresAt
    }
    staffRoles {
      role
      description
    }
  }
`

const SET_ROLE: TypedDocumentNode<SetUserRoleMutation, SetUserRoleMutationVariables> = gql`
  mutation SetUserRoleMutation($id: Int!, $role: StaffRole!) {
    setUserRole(id: $id, role: $role) {
      id
      role
    }
  }
`

const SET_DISABLED: TypedDocumentNode<SetUserDisabledMutation, SetUserDisabledMutationVariables> = gql`
  mutation SetUserDisabledMutation($id: Int!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) {
      id
      disabledAt
    }
  }
`

const CREATE_LINK: TypedDocumentNode<CreateUserLinkMutation, CreateUserLinkMutationVariables> = gql`
  mutation CreateUserLinkMutation($id: Int!) {
    createUserLink(id: $id) {
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

export const Loading = () => <p>Loading users…</p>

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="text-rose-800">
    Could not load the users: {error?.message}
  </p>
)

type Props = CellSuccessProps<UsersQuery, UsersQueryVariables> & { onLink: (link: UserLinkShown) => void }

function status(u: UsersQuery['users'][number]): string {
  if (u.disabledAt) return `disabled since ${formatDate(u.disabledAt)}`
  if (!u.activatedAt)
    return u.pendingLinkExpiresAt
      ? `invited, link valid until ${formatDateTime(u.pendingLinkExpiresAt)}`
      : 'invited, link expired'
  return 'active'
}

export const Success = ({ users, staffRoles, onLink }: Props) => {
  const { currentUser } = useAuth()
  const onError = (error: Error) => toast.error(error.message)
  const [setRole] = useMutation(SET_ROLE, { onError, onCompleted: () => toast.success('Role changed') })
  const [setDisabled] = useMutation(SET_DISABLED, { onError, refetchQueries: ['UsersQuery'] })
  const [createLink] = useMutation(CREATE_LINK, {
    onError,
    refetchQueries: ['UsersQuery'],
    onCompleted: (data) => onLink(data.createUserLink),
  })
  return (
    <>
      <InviteUserForm roles={staffRoles} onInvited={onLink} />
      {/* The table scrolls inside its box on a phone, not the page. */}
      <div className="overflow-x-auto">
        <table className="w-full rounded border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Staff accounts</caption>
          <thead className="bg-slate-50 text-left text-xs text-slate-600">
            <tr>
              <th scope="col" className="p-2">
                Email
              </th>
              <th scope="col" className="p-2">
                Role
              </th>
              <th scope="col" className="p-2">
                Status
              </th>
              <th scope="col" className="p-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {users.map((u) => (
              <tr key={u.id} data-user={u.email}>
                <td className="p-2">
                  {u.email}
                  {u.name ? <span className="block text-xs text-slate-600">{u.name}</span> : null}
                  {(currentUser as { id?: number } | null)?.id === u.id && (
                    <span className="text-xs text-slate-600"> (you)</span>
                  )}
                </td>
                <td className="p-2">
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => setRole({ variables: { id: u.id, role: e.target.value as StaffRole } })}
                    className="rounded border border-slate-300 px-2 py-1"
                  >
                    {staffRoles.map((r) => (
                      <option key={r.role} value={r.role} title={r.description}>
                        {r.role}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="p-2" data-status>
                  {status(u)}
                </td>
                <td className="space-x-2 p-2 text-right">
                  {!u.disabledAt && (
                    <button
                      type="button"
                      onClick={() => createLink({ variables: { id: u.id } })}
                      className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
                    >
                      {u.activatedAt ? 'Reset password link' : 'New invitation link'}
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => setDisabled({ variables: { id: u.id, disabled: !u.disabledAt } })}
                    className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
                  >
                    {u.disabledAt ? 'Enable' : 'Disable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="mt-4 space-y-1 text-sm text-slate-700">
        {staffRoles.map((r) => (
          <li key={r.role}>
            <strong>{r.role}</strong>: {r.description}
          </li>
        ))}
      </ul>
    </>
  )
}
