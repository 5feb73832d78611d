import { useEffect, useState } from 'react'

import { Link, navigate, routes } from '@redwoodjs/router'
import { Metadata, useQuery } from '@redwoodjs/web'

import { useAuth } from 'src/auth'
import CredentialsForm, { type Credentials } from 'src/components/Auth/CredentialsForm/CredentialsForm'
import { SIGNUP_OPEN } from 'src/pages/LoginPage/LoginPage'

/** Creates the desk's first staff account; closed once any exists. */
const SignupPage = () => {
  const { isAuthenticated, signUp } = useAuth()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { data, loading } = useQuery(SIGNUP_OPEN, { fetchPolicy: 'network-only' })

  useEffect(() => {
    if (isAuthenticated) navigate(routes.messages())
  }, [isAuthenticated])

  const onSubmit = async ({ email, password }: Credentials) => {
    setBusy(true)
    const response = await signUp({ username: email.trim().toLowerCase(), password })
    setBusy(false)
    if (response?.error) setError(response.error)
  }

  return (
    <>
      <Metadata title="Create the first account" />
      <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4">
        <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow">
          <h1 className="mb-4 text-xl font-semibold">Create the first staff account</h1>
          {loading ? (
            <p>Loading…</p>
          ) : data?.signupOpen ? (
            <CredentialsForm onSubmit={onSubmit} submitLabel="Create account" busy={busy} error={error} newPassword />
          ) : (
            <p role="alert" className="text-sm text-slate-700">
              Signup is closed: this desk already has staff. Ask a colleague to add you with{' '}
              <code>yarn rw exec createUser</code>, then{' '}
              <Link to={routes.login()} className="text-indigo-700 underline">
                log in
              </Link>
              .
            </p>
          )}
        </div>
      </main>
    </>
  )
}

export default SignupPage
