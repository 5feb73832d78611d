import { useEffect, useState } from 'react'

import { Link, navigate, routes } from '@redwoodjs/router'
import { Metadata, useQuery } from '@redwoodjs/web'

import { useAuth } from 'src/auth'
import CredentialsForm, { type Credentials } from 'src/components/Auth/CredentialsForm/CredentialsForm'

export const SIGNUP_PAGE = gql`
  query SignupPageQuery {
    signupOpen
    passwordRules {
      minLength
    }
  }
`

/**
 * Creates the desk's first admin with the one-time setup token (printed by
 * the api at start-up, or SETUP_TOKEN); closed once any account exists.
 */
const SignupPage = ({ setupToken: tokenFromLink = '' }: { setupToken?: string }) => {
  const { isAuthenticated, signUp } = useAuth()
  const [setupToken, setSetupToken] = useState(tokenFromLink)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { data, loading } = useQuery(SIGNUP_PAGE, { fetchPolicy: 'network-only' })

  useEffect(() => {
    if (isAuthenticated) navigate(routes.messages())
  }, [isAuthenticated])

  const onSubmit = async ({ email, password }: Credentials) => {
    setBusy(true)
    const response = await signUp({ username: email.trim().toLowerCase(), password, setupToken: setupToken.trim() })
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
            <>
              <p className="mb-3 text-sm text-slate-600">
                This account will be the desk&apos;s first admin. Enter the one-time setup token the api printed when it
                started (or the value of <code>SETUP_TOKEN</code>).
              </p>
              <label className="mb-4 block text-sm font-medium">
                Setup token
                <input
                  value={setupToken}
                  onChange={(e) => setSetupToken(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  className="mt-1 block w-full rounded border border-slate-300 px-3 py-2 font-mono text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500"
                />
              </label>
              <CredentialsForm
                onSubmit={onSubmit}
                submitLabel="Create account"
                busy={busy}
                error={error}
                newPassword={data.passwordRules}
              />
            </>
          ) : (
            <p role="alert" className="text-sm text-slate-700">
              Signup is closed: this desk already has staff. Ask an admin for an invitation link, then{' '}
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
