import { formatDateTime } from 'src/lib/formatTime'

export type UserLinkShown = {
  purpose: 'INVITATION' | 'PASSWORD_RESET'
  token: string
  expiresAt: string
  user: { email: string }
}

/** The address of the page where a link's holder sets their password. */
export function userLinkUrl(token: string): string {
  return `${window.location.origin}/set-password?token=${encodeURIComponent(token)}`
}

/**
 * A new invitation or reset link, shown once to the admin who made it. The
 * desk sends no email: the admin passes the link on (chat, phone, in person).
 */
const UserLinkNotice = ({ link }: { link: UserLinkShown }) => {
  const url = userLinkUrl(link.token)
  return (
    <div role="status" className="mb-6 rounded border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950">
      <p className="font-medium">
        {link.purpose === 'INVITATION' ? 'Invitation' : 'Password-reset link'} for {link.user.email}
      </p>
      <p className="mt-1">
        The desk sends no email: copy this link and pass it on yourself. It works once, until{' '}
        {formatDateTime(link.expiresAt)}, and is not shown again.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label="Link to pass on"
          data-testid="user-link"
          value={url}
          onFocus={(e) => e.target.select()}
          className="min-w-0 flex-1 rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
        />
        <button
          type="button"
          onClick={() => navigator.clipboard?.writeText(url)}
          className="rounded border border-emerald-400 bg-white px-3 py-1 hover:bg-emerald-100"
        >
          Copy
        </button>
      </div>
    </div>
  )
}

export default UserLinkNotice
