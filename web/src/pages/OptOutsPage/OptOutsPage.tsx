import { navigate, routes, useParams } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import AddOptOutForm from 'src/components/OptOuts/AddOptOutForm/AddOptOutForm'
import OptOutsCell from 'src/components/OptOuts/OptOutsCell'
import { QUERY as OPT_OUTS_QUERY } from 'src/components/OptOuts/OptOutsCell/OptOutsCell'
import { useCan } from 'src/lib/permissions'
import { useSearchInUrl } from 'src/lib/useSearchInUrl'

/** Numbers that are never sent to: they replied STOP, or staff added them. */
const OptOutsPage = () => {
  // In the URL (?q=…) like every search of the desk, and asked for once per pause in typing.
  const inUrl = (useParams().q ?? '').trim()
  const [search, setSearch] = useSearchInUrl(inUrl, (q) =>
    navigate(routes.optOuts(q.trim() ? { q: q.trim() } : {}), { replace: true })
  )
  const can = useCan()
  // A STOP or START reply, or a colleague adding or removing a number, shows without a reload.
  const live = useLiveEvents(['optouts'], [OPT_OUTS_QUERY])
  return (
    <>
      <Metadata title="Opt-outs" />
      <div className="mb-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-xl font-semibold">Opt-outs</h1>
          <LiveIndicator state={live} />
        </div>
        <p className="text-sm text-slate-600">
          Sending to these numbers is refused before anything reaches Sinch. A reply of STOP (or another opt-out
          keyword) adds a number; START removes it. Every change is kept in the history with who or which reply made it.
        </p>
      </div>
      {can('send') && <AddOptOutForm />}
      <div className="mb-2 mt-6 flex items-end justify-between gap-3">
        <h2 className="font-semibold">Opted-out numbers</h2>
        <label className="text-sm">
          <span className="mr-2">Search</span>
          <input
            type="search"
            className="rounded border border-slate-300 px-2 py-1 font-mono"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="part of a number"
          />
        </label>
      </div>
      <OptOutsCell search={inUrl || undefined} />
    </>
  )
}

export default OptOutsPage
