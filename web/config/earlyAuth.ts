/**
 * A Vite plugin that starts dbAuth's start-up request from index.html itself,
 * before the app's code has loaded and run: the currentUser query, exactly as
 * src/lib/startUpAuth.ts would send it a few hundred milliseconds later (the
 * entry chunk parsed, React's first render done). src/lib/startUpAuth.ts
 * takes the answer (once), and the token from it.
 *
 * The HTML carries no token or user, only the code that asks: the answers
 * come over the same requests with the same cookie, so nothing a cache could
 * store changes. The script is inline: a Content-Security-Policy in front
 * must allow it by its hash (the README says how to compute it).
 */
import type { Plugin } from 'vite'

import { getConfig } from '@redwoodjs/project-config'

/** Where startUpAuth.ts looks for the early requests. */
export const EARLY_AUTH_GLOBAL = '__deskEarlyAuth'

/** The inline script for this url (plain ES5 in every browser the app supports). */
export function earlyAuthScript(graphqlUrl: string): string {
  return `(function(){try{var q='query __REDWOOD__AUTH_GET_CURRENT_USER { redwood { currentUser } }';var w=window;w.${EARLY_AUTH_GLOBAL}={user:fetch(${JSON.stringify(
    graphqlUrl
  )},{method:'POST',credentials:'include',headers:{'content-type':'application/json','auth-provider':'dbAuth',authorization:'Bearer cookie'},body:JSON.stringify({query:q})}).then(function(r){if(!r.ok)throw new Error('Could not fetch current user: '+r.statusText+' ('+r.status+')');return r.json()}).then(function(b){return b&&b.data&&b.data.redwood&&b.data.redwood.currentUser||null})};w.${EARLY_AUTH_GLOBAL}.user.catch(function(){})}catch(e){}})()`
}

/** The app's GraphQL url, as Redwood's web build defines RWJS_API_GRAPHQL_URL. */
function graphqlUrl() {
  const { web } = getConfig()
  return web.apiGraphQLUrl ?? `${web.apiUrl}/graphql`
}

export function earlyAuth(): Plugin {
  const script = earlyAuthScript(graphqlUrl())
  return {
    name: 'desk-early-auth',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'script', children: script, injectTo: 'head-prepend' }],
    },
  }
}
