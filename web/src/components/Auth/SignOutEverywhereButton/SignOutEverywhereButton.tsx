import type { SignOutEverywhereMutation, SignOutEverywhereMutationVariables } from 'types/graphql'

import { type TypedDocumentNode, useMutation } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useAuth } from 'src/auth'

export const SIGN_OUT_EVERYWHERE: TypedDocumentNode<SignOutEverywhereMutation, SignOutEverywhereMutationVariables> =
  gql`
    mutation SignOutEverywhereMutation {
      signOutEverywhere
    }
  `

/** Ends every session of the signed-in user (other browsers at their next request), then this one. */
const SignOutEverywhereButton = () => {
  const { logOut } = useAuth()
  const [signOutEverywhere, { loading }] = useMutation(SIGN_OUT_EVERYWHERE, {
    onCompleted: () => logOut(),
    onError: (error) => toast.error(`Could not sign out everywhere: ${error.message}`),
  })
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => {
        if (window.confirm('Sign out of the desk in every browser, this one included?')) signOutEverywhere()
      }}
      className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60"
    >
      Sign out everywhere
    </button>
  )
}

export default SignOutEverywhereButton
