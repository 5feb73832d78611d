import { Link, routes, useLocation } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import { useAuth } from 'src/auth'
import DeskLayout from 'src/layouts/DeskLayout/DeskLayout'

const NotFound = ({ signedIn }: { signedIn: boolean }) => {
  const { pathname } = useLocation()
  return (
    <section
      aria-labelledby="not-found-heading"
      className="mx-auto max-w-xl rounded border border-slate-200 bg-white p-6 text-slate-900"
    >
      <Metadata title="Page not found" />
      <h1 id="not-found-heading" className="text-xl font-semibold">
        Page not found
      </h1>
      <p className="mt-2 text-sm text-slate-700">
        The desk has no page at <span className="break-all font-mono">{pathname}</span>. The link may be mistyped or out
        of date.
      </p>
      <p className="mt-4 text-sm">
        {signedIn ? (
          <Link to={routes.messages()} className="text-indigo-700 underline">
            Go to the messages
          </Link>
        ) : (
          <Link to={routes.login()} className="text-indigo-700 underline">
            Log in to the desk
          </Link>
        )}
      </p>
    </section>
  )
}

/** Unknown routes: the desk's own page, with its navigation for staff who are signed in. */
const NotFoundPage = () => {
  const { isAuthenticated, loading } = useAuth()
  // Until the session is known, neither version (staff would see the signed-out one flash by).
  if (loading) return <main className="min-h-screen bg-slate-50" aria-busy="true" />
  if (isAuthenticated)
    return (
      <DeskLayout>
        <NotFound signedIn />
      </DeskLayout>
    )
  return (
    <main className="min-h-screen bg-slate-50 px-4 py-16">
      <NotFound signedIn={false} />
    </main>
  )
}

export default NotFoundPage
