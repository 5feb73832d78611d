import { useState } from 'react'

import type { InviteUserMutation, InviteUserMutationVariables, StaffRole } from 'types/graphql'

import { EmailField, FieldError, Form, Label, SelectField, Submit, useForm } from '@redwoodjs/forms'
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
type InviteValues = { email: string; role: StaffRole }

/** Something@something.something: the api checks the same, and whether the address already has an account. */
const EMAIL_SHAPE = /^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$/

/** Invites a colleague by email: the account and a single-use link the admin passes on. */
const InviteUserForm = ({ roles, onInvited }: Props) => {
  const formMethods = useForm<InviteValues>({ defaultValues: { email: '', role: 'viewer' } })
  const emailInvalid = !!formMethods.formState.errors.email
  const [error, setError] = useState<string | null>(null)
  const [invite, { loading }] = useMutation(INVITE_USER, {
    refetchQueries: ['UsersQuery'],
    onCompleted: (data) => {
      formMethods.resetField('email')
      onInvited(data.inviteUser)
    },
    onError: (e) => setError(e.message),
  })
  return (
    <Form
      formMethods={formMethods}
      // The messages below say what is wrong; the browser's own bubbles would say it differently.
      noValidate
      aria-label="Invite a colleague"
      className="mb-6 flex flex-wrap items-start gap-3 rounded border border-slate-200 bg-white p-4"
      onSubmit={(values: InviteValues) => {
        setError(null)
        invite({ variables: { input: { email: values.email.trim(), role: values.role } } })
      }}
    >
      <div className="text-sm">
        <Label name="email" className="block font-medium">
          Email
        </Label>
        <EmailField
          name="email"
          autoComplete="off"
          aria-invalid={emailInvalid}
          aria-describedby="email-error"
          className="mt-1 w-72 rounded border border-slate-300 px-2 py-1.5"
          errorClassName="mt-1 w-72 rounded border border-rose-500 px-2 py-1.5"
          validation={{
            required: { value: true, message: 'Enter the email address of the colleague to invite.' },
            pattern: { value: EMAIL_SHAPE, message: 'This is not an email address (name@example.com).' },
          }}
        />
        <FieldError id="email-error" name="email" className="mt-1 block w-72 text-sm text-rose-800" />
      </div>
      <div className="text-sm">
        <Label name="role" className="block font-medium">
          Role
        </Label>
        <SelectField name="role" className="mt-1 rounded border border-slate-300 px-2 py-1.5">
          {roles.map((r) => (
            <option key={r.role} value={r.role} title={r.description}>
              {r.role}
            </option>
          ))}
        </SelectField>
      </div>
      <Submit
        disabled={loading}
        className="mt-6 rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {loading ? 'Inviting…' : 'Invite'}
      </Submit>
      {error && (
        <p role="alert" className="w-full text-sm text-rose-800">
          {error}
        </p>
      )}
    </Form>
  )
}

export default InviteUserForm
