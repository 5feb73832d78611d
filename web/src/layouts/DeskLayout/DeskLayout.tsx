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
  { to: routes.addressBook(), label: 'Contacts' },
  { to: routes.callbacks(), label: 'Callback log' },
  { to: routes.optOuts(), label: 'Opt-outs' },
  { to: routes.whatsAppTemplates(), label: 'WhatsApp templates' },
  { to: routes.users(), label: 'Users', needs: 'administer' },
  { to: routes.audit(), label: 'Audit log', needs: 'administer' },
]

const DeskLayout = ({ children }: { children?: React.ReactNode }) => {
  const { currentUser, logOut } = useAuth()
  const alarm = useDeliveryAlarm()
  const can = useCan()
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
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link to={routes.messages()} className="font-semibold text-indigo-700">
            Sinch Delivery Desk
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            {navItems()
              .filter((item) => !item.needs || can(item.needs))
              .map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  className="rounded px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                  activeClassName="rounded px-3 py-1.5 text-sm bg-indigo-50 font-medium text-indigo-800"
                >
                  {item.label}
                </NavLink>
              ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600">
              {user?.email}
              {user?.roles?.[0] && (
                <span data-testid="role" className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                  {user.roles[0]}
                </span>
              )}
            </span>
            <button
              type="button"
              onClick={() => logOut()}
              className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              Log out
            </button>
            <SignOutEverywhereButton />
          </div>
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
