/**
 * dbAuth's start-up in one request instead of two in a row, started by the HTML.
 *
 * Redwood's AuthProvider restores a session by asking dbAuth's function for a
 * token (`/auth?method=getToken`) and only when one comes back asking GraphQL
 * for `currentUser`: two round trips in a row before a private page renders
 * (300 ms on a 150 ms connection). Both answers come from the same session
 * cookie and the same checks (our getToken runs getCurrentUser:
 * api/src/lib/deskAuthHandler.ts), and dbAuth's token is the user's id: the
 * api's dbAuth decoder reads the cookie and never the bearer value
 * (api/src/functions/graphql.ts). So the start-up asks for `currentUser` alone
 * and takes the token from its answer (the id, or none when signed out).
 *
 * The production build's index.html sends that request before this code has
 * even loaded (web/config/earlyAuth.ts); restoreAuthState, which the
 * AuthProvider awaits before it re-authenticates, takes it (or sends it itself
 * where there is no such script, as under `yarn rw dev`). The first
 * getCurrentUser takes its answer, and getToken answers from it for as long
 * as dbAuth would have cached a token (5 s), then asks dbAuth's client as
 * always. Logging in, signing up or out drops it.
 */
import type { CurrentUser } from '@redwoodjs/auth'

type DbAuthLike = {
  type: string
  getToken: () => Promise<string | null>
  getUserMetadata: () => Promise<unknown>
  login: (...args: never[]) => Promise<unknown>
  logout: (...args: never[]) => Promise<unknown>
  signup: (...args: never[]) => Promise<unknown>
}

/** What index.html's script leaves on window (web/config/earlyAuth.ts; the name is EARLY_AUTH_GLOBAL there). */
type EarlyAuth = { user: Promise<CurrentUser | null> }
const EARLY_AUTH_GLOBAL = '__deskEarlyAuth'

/** dbAuth's own token cache time: an early token is good for as long. */
const TOKEN_CACHE_MS = 5000

/** The requests index.html started, once: whoever takes them removes them. */
function takeEarlyAuth(): EarlyAuth | null {
  const w = globalThis as unknown as Record<string, EarlyAuth | undefined>
  const early = w[EARLY_AUTH_GLOBAL]
  delete w[EARLY_AUTH_GLOBAL]
  return early ?? null
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
  /** The start-up's token (the user's id), and when it came (it stands in for dbAuth's cache until then + 5 s). */
  let earlyToken: { token: Promise<string | null>; answeredAt?: number } | null = null
  const forget = () => {
    early = null
    earlyToken = null
  }
  const getToken = async (): Promise<string | null> => {
    const mine = earlyToken
    if (mine && (mine.answeredAt === undefined || Date.now() - mine.answeredAt <= TOKEN_CACHE_MS)) return mine.token
    if (mine && earlyToken === mine) earlyToken = null
    return client.getToken()
  }
  const forgetting =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      forget()
      return fn(...args)
    }

  const startUpClient: C & { restoreAuthState: () => Promise<void> } = {
    ...client,
    getToken,
    // dbAuth's getUserMetadata is its own getToken (the user id), called by its closure, not through this
    // object: after an early start-up its cache is empty and it would ask the server again.
    getUserMetadata: getToken,
    login: forgetting(client.login),
    logout: forgetting(client.logout),
    signup: forgetting(client.signup),
    restoreAuthState: async () => {
      const mine = takeEarlyAuth()?.user ?? fetchCurrentUser(client.type, null)
      // An answer nobody takes must not show up as an unhandled rejection.
      mine.catch(() => undefined)
      early = mine
      // dbAuth's token is the user's id (its getToken answers user.id for the session's user).
      const token = mine.then(
        (user) => (user && (user as { id?: unknown }).id !== undefined ? String((user as { id: unknown }).id) : null),
        () => null
      )
      const entry: NonNullable<typeof earlyToken> = { token }
      earlyToken = entry
      token.then((value) => {
        entry.answeredAt = Date.now()
        // Signed out: nothing later may take the early answer.
        if (!value && early === mine) early = null
      })
    },
  }

  /** For createAuth's `useCurrentUser`: the start-up's early answer once, afterwards Redwood's request. */
  const getCurrentUser = async (): Promise<CurrentUser> => {
    const taken = early
    early = null
    const user = taken ?? fetchCurrentUser(client.type, await getToken())
    return (await user) as CurrentUser
  }

  return { client: startUpClient, getCurrentUser }
}
