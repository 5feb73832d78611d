import { useEffect, useState } from 'react'

import { Link, navigate, routes } from '@redwoodjs/router'
import { Metadata, useQuery } from '@redwoodjs/web'

import { useAuth } from 'src/auth'
import CredentialsForm, { type Credentials } from 'src/components/Auth/CredentialsForm/CredentialsForm'

export const SIGNUP_OPEN = gql`
  query SignupOpenQuery {
    signupOpen
  }
`

const LoginPage = () => {
  const { isAuthenticated, logIn, loading: authLoading } = useAuth()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Never from cache: whether signup is open changes once the first user
  // exists. Skipped while logging in: an api request then asks dbAuth for a
  // token before the session cookie exists, and dbAuth caches that "no" for
  // five seconds, so the login that just succeeded would look like a failure.
  const { data } = useQuery(SIGNUP_OPEN, { fetchPolicy: 'network-only', skip: authLoading })

  useEffect(() => {
    if (isAuthenticated) navigate(routes.messages())
  }, [isAuthenticated])

  const onSubmit = async ({ email, password }: Credentials) => {
    setBusy(true)
    const response = await logIn({ username: email.trim().toLowerCase(), password })
    setBusy(false)
    if (response?.error) setError(response.error)
  }

  return (
    <>
      <Metadata title="Log in" />
      <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4">
        <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow">
          <h1 className="mb-1 text-xl font-semibold">Sinch Delivery Desk</h1>
          <p className="mb-4 text-sm text-slate-600">Log in to send messages and follow their delivery.</p>
          <CredentialsForm onSubmit={onSubmit} submitLabel="Log in" busy={busy} error={error} />
          {data?.signupOpen && (
            <p className="mt-4 text-sm">
              No staff yet?{' '}
              <Link to={routes.signup()} className="text-indigo-700 underline">
                Create the first account
              </Link>
              .
            </p>
          )}
        </div>
      </main>
    </>
  )
}

export default LoginPage
