import { useEffect, useState } from 'react'

import type {
  RedeemUserLinkMutation,
  RedeemUserLinkMutationVariables,
  UserLinkQuery,
  UserLinkQueryVariables,
} from 'types/graphql'

import { FieldError, Form, Label, PasswordField, Submit, TextField, useForm } from '@redwoodjs/forms'
import { Link, navigate, routes } from '@redwoodjs/router'
import { Metadata, useMutation, useQuery } from '@redwoodjs/web'
import type { TypedDocumentNode } from '@redwoodjs/web'

import { useAuth } from 'src/auth'
import { formatDateTime } from 'src/lib/formatTime'

const USER_LINK: TypedDocumentNode<UserLinkQuery, UserLinkQueryVariables> = gql`
  query UserLinkQuery($token: String!) {
    userLink(token: $token) {
      purpose
      email
      expiresAt
      minPasswordLength
    }
  }
`

const REDEEM: TypedDocumentNode<RedeemUserLinkMutation, RedeemUserLinkMutationVariables> = gql`
  mutation RedeemUserLinkMutation($token: String!, $password: String!, $name: String) {
    redeemUserLink(token: $token, password: $password, name: $name) {
      email
    }
  }
`

const input =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'
const invalidInput = input.replace('border-slate-300', 'border-rose-500')

type PasswordValues = { name: string; password: string }

/** Where an invitation or password-reset link leads: choose a password, then you are signed in. */
const SetPasswordPage = ({ token = '' }: { token?: string }) => {
  const { logIn, isAuthenticated } = useAuth()
  const formMethods = useForm<PasswordValues>({ defaultValues: { name: '', password: '' } })
  const [error, setError] = useState<string | null>(null)
  const { data, loading } = useQuery(USER_LINK, { variables: { token }, skip: !token, fetchPolicy: 'network-only' })
  const [redeem, { loading: saving }] = useMutation(REDEEM, { onError: (e) => setError(e.message) })

  useEffect(() => {
    if (isAuthenticated) navigate(routes.messages())
  }, [isAuthenticated])

  const link = data?.userLink
  const onSubmit = async ({ name, password }: PasswordValues) => {
    setError(null)
    const result = await redeem({ variables: { token, password, name: name.trim() || null } })
    const email = result.data?.redeemUserLink.email
    if (!email) return
    const response = await logIn({ username: email, password })
    if (response?.error) return setError(response.error)
    // A full load of the desk: dbAuth's client keeps the "not signed in"
    // answer it got while this page checked the link for a few seconds,
    // which would hide the session that was just created.
    window.location.assign('/')
  }

  return (
    <>
      <Metadata title="Choose your password" />
      <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4">
        <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow">
          <h1 className="mb-4 text-xl font-semibold">
            {link?.purpose === 'PASSWORD_RESET' ? 'Choose a new password' : 'Welcome to Sinch Delivery Desk'}
          </h1>
          {loading ? (
            <p>Checking the link…</p>
          ) : !link ? (
            <p role="alert" className="text-sm text-slate-700">
              This link has been used, has expired or is not valid. Ask an admin for a new one, or{' '}
              <Link to={routes.login()} className="text-indigo-700 underline">
                log in
              </Link>
              .
            </p>
          ) : (
            <Form formMethods={formMethods} onSubmit={onSubmit} className="space-y-4">
              <p className="text-sm text-slate-700">
                For <strong data-testid="link-email">{link.email}</strong>. The link works once, until{' '}
                {formatDateTime(link.expiresAt)}.
              </p>
              {error && (
                <p role="alert" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
                  {error}
                </p>
              )}
              {link.purpose === 'INVITATION' && (
                <div>
                  <Label name="name" className="block text-sm font-medium">
                    Your name (optional)
                  </Label>
                  <TextField name="name" className={input} autoComplete="name" />
                </div>
              )}
              <div>
                <Label name="password" className="block text-sm font-medium">
                  Password
                </Label>
                <PasswordField
                  name="password"
                  className={input}
                  errorClassName={invalidInput}
                  autoComplete="new-password"
                  aria-describedby="password-rule password-error"
                  aria-invalid={!!formMethods.formState.errors.password}
                  validation={{
                    required: { value: true, message: 'Choose a password.' },
                    minLength: {
                      value: link.minPasswordLength,
                      message: `Use at least ${link.minPasswordLength} characters.`,
                    },
                  }}
                />
                <p id="password-rule" className="mt-1 text-xs text-slate-600">
                  At least {link.minPasswordLength} characters.
                </p>
                <FieldError id="password-error" name="password" className="mt-1 block text-sm text-rose-800" />
              </div>
              <Submit
                disabled={saving}
                className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
              >
                {saving ? 'Please wait…' : 'Set password and sign in'}
              </Submit>
            </Form>
          )}
        </div>
      </main>
    </>
  )
}

export default SetPasswordPage
