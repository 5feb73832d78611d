import { useState } from 'react'

import { Link, NavLink, routes } from '@redwoodjs/router'
import { Toaster } from '@redwoodjs/web/toast'

import { useAuth } from 'src/auth'
import SignOutEverywhereButton from 'src/components/Auth/SignOutEverywhereButton/SignOutEverywhereButton'
import DeliveryAlarmBanner from 'src/components/DeliveryAlarm/DeliveryAlarmBanner'
import { useDeliveryAlarm } from 'src/components/DeliveryAlarm/useDeliveryAlarm'
import { useCan, type Permission } from 'src/lib/permissions'

// Built on render: named routes exist only once the Router has registered them,
// so calling routes.x() at module load throws "namedRoutes.x is not a function".
const navItems = (): { to: string; label: string; needs?: Permission }[] => [
  { to: routes.messages(), label: 'Messages' },
  { to: routes.inbox(), label: 'Inbox' },
  { to: routes.dashboard(), label: 'Dashboard' },
  { to: routes.compose(), label: 'Compose', needs: 'send' },
  { to: routes.audienceSend(), label: 'Send to many', needs: 'send' },
  { to: routes.addressBook(), label: 'Contacts' },
  { to: routes.callbacks(), label: 'Callback log' },
  { to: routes.optOuts(), label: 'Opt-outs' },
  { to: routes.whatsAppTemplates(), label: 'WhatsApp templates' },
  { to: routes.users(), label: 'Users', needs: 'administer' },
  { to: routes.audit(), label: 'Audit log', needs: 'administer' },
]

const navLink =
  'block whitespace-nowrap rounded px-2 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500'

/**
 * One row from 1280 px up (the navigation inline, the account folded into a
 * menu; should the links ever be wider than the row, the navigation scrolls
 * inside itself rather than the page sideways); below, the brand and a Menu button, the navigation opening as a list
 * so that a phone keeps its screen for the page.
 */
const DeskLayout = ({ children }: { children?: React.ReactNode }) => {
  const { currentUser, logOut } = useAuth()
  const alarm = useDeliveryAlarm()
  const can = useCan()
  const [menuOpen, setMenuOpen] = useState(false)
  const user = currentUser as { email?: string; roles?: string[] } | null
  return (
    <div className="min-h-screen bg-slate-50 text-slate-900">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      {/* Bottom right: at the top a toast covers the navigation it follows. */}
      <Toaster position="bottom-right" />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-2 gap-y-2 px-4 py-2 xl:flex-nowrap">
          <Link to={routes.messages()} className="shrink-0 whitespace-nowrap font-semibold text-indigo-700">
            Sinch Delivery Desk
          </Link>
          <button
            type="button"
            className="ml-auto rounded border border-slate-300 px-3 py-1.5 text-sm xl:hidden"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {menuOpen ? 'Close menu' : 'Menu'}
          </button>
          <nav
            id="main-nav"
            aria-label="Main"
            className={`${menuOpen ? 'flex' : 'hidden'} w-full flex-col gap-0.5 xl:flex xl:w-auto xl:min-w-0 xl:flex-row xl:overflow-x-auto`}
          >
            {navItems()
              .filter((item) => !item.needs || can(item.needs))
              .map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  onClick={() => setMenuOpen(false)}
                  className={`${navLink} text-slate-700 hover:bg-slate-100`}
                  activeClassName={`${navLink} bg-indigo-50 font-medium text-indigo-800`}
                >
                  {item.label}
                </NavLink>
              ))}
          </nav>
          <details
            className={`${menuOpen ? 'block' : 'hidden'} relative w-full text-sm xl:ml-auto xl:block xl:w-auto`}
            data-testid="account"
          >
            <summary className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 hover:bg-slate-100">
              <span className="max-w-[16rem] truncate text-slate-600 xl:max-w-[8rem]" title={user?.email}>
                {user?.email}
              </span>
              {user?.roles?.[0] && (
                <span data-testid="role" className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                  {user.roles[0]}
                </span>
              )}
            </summary>
            <div className="mt-1 flex flex-wrap gap-2 xl:absolute xl:right-0 xl:z-20 xl:w-max xl:rounded xl:border xl:border-slate-200 xl:bg-white xl:p-2 xl:shadow">
              <button
                type="button"
                onClick={() => logOut()}
                className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
              >
                Log out
              </button>
              <SignOutEverywhereButton />
            </div>
          </details>
        </div>
      </header>
      <DeliveryAlarmBanner alarm={alarm} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  )
}

export default DeskLayout
