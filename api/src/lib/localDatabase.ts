/** True when a postgresql:// URL names this machine (loopback host or a Unix socket), as the embedded dev database does. */
export function isLocalDatabaseUrl(databaseUrl: string | undefined): boolean {
  if (!databaseUrl) return false
  let url: URL
  try {
    url = new URL(databaseUrl)
  } catch {
    return false
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const socketHost = url.searchParams.get('host') ?? ''
  if (!host) return socketHost.startsWith('/')
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}
