import type { ReactNode } from 'react'

/** Moves through a cursor-paged list: "Older callbacks", "Next recipients", "Newer messages"… */
const PageButton = ({ onClick, children }: { onClick: () => void; children: ReactNode }) => (
  <button
    type="button"
    onClick={onClick}
    className="mt-3 rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
  >
    {children}
  </button>
)

export default PageButton
