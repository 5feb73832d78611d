/**
 * dbAuth's start-up in one round trip instead of two.
 *
 * Redwood's AuthProvider restores a session by asking dbAuth's function for a
 * token (`/auth?method=getToken`) and only when one comes back asking GraphQL
 * for `currentUser`: two round trips in a row before a private page renders
 * (300 ms on a 150 ms connection). Both answers come from the same session
 * cookie: the api's dbAuth decoder reads the cookie and ignores the bearer
 * value (api/src/functions/graphql.ts), so the currentUser query does not need
 * the token's answer. Here the client's `restoreAuthState` (which the
 * AuthProvider awaits before it re-authenticates) starts that query at once,
 * beside getToken, and the first getCurrentUser of the start-up takes its
 * answer. Nothing else changes: the same two requests with the same cookie,
 * headers and checks; a signed-out start-up (no token) throws the early answer
 * away, and logging in, signing up or out never uses it.
 */
import type { CurrentUser } from '@redwoodjs/auth'

type DbAuthLike = {
  type: string
  getToken: () => Promise<string | null>
  login: (...args: never[]) => Promise<unknown>
  logout: (...args: never[]) => Promise<unknown>
  signup: (...args: never[]) => Promise<unknown>
}

const CURRENT_USER_QUERY = 'query __REDWOOD__AUTH_GET_CURRENT_USER { redwood { currentUser } }'

/** Redwood's GraphQL endpoint, a global its web build defines (as its own useCurrentUser reads it). */
const graphqlUrl = () => (globalThis as unknown as { RWJS_API_GRAPHQL_URL: string }).RWJS_API_GRAPHQL_URL

/** The request Redwood's own useCurrentUser makes (@redwoodjs/auth), with the token it has or none yet. */
export async function fetchCurrentUser(type: string, token: string | null): Promise<CurrentUser | null> {
  const response = await globalThis.fetch(graphqlUrl(), {
    method: 'POST',
    credentials: 'include',
    headers: {
      'content-type': 'application/json',
      'auth-provider': type,
      // dbAuth's decoder reads the session cookie and never this value; the header must be present and well formed.
      authorization: `Bearer ${token ?? 'cookie'}`,
    },
    body: JSON.stringify({ query: CURRENT_USER_QUERY }),
  })
  if (!response.ok) throw new Error(`Could not fetch current user: ${response.statusText} (${response.status})`)
  const { data } = await response.json()
  return data?.redwood?.currentUser ?? null
}

export function withOneRoundTripStartUp<C extends DbAuthLike>(client: C) {
  let early: Promise<CurrentUser | null> | null = null
  const forget = () => {
    early = null
  }
  const forgetting =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      forget()
      return fn(...args)
    }

  const startUpClient: C & { restoreAuthState: () => Promise<void> } = {
    ...client,
    login: forgetting(client.login),
    logout: forgetting(client.logout),
    signup: forgetting(client.signup),
    restoreAuthState: async () => {
      const mine = fetchCurrentUser(client.type, null)
      // An answer nobody takes must not show up as an unhandled rejection.
      mine.catch(() => undefined)
      early = mine
      // Signed out: the start-up asks for no current user, and nothing later may take this one.
      client.getToken().then((token) => {
        if (!token && early === mine) forget()
      })
    },
  }

  /** For createAuth's `useCurrentUser`: the start-up's early answer once, afterwards Redwood's request. */
  const getCurrentUser = async (): Promise<CurrentUser> => {
    const taken = early
    early = null
    const user = taken ?? fetchCurrentUser(client.type, await client.getToken())
    return (await user) as CurrentUser
  }

  return { client: startUpClient, getCurrentUser }
}
