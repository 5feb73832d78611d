import { useState } from 'react'

import { navigate, routes } from '@redwoodjs/router'

/** The api's upload limit (api/src/lib/contactCsv.ts MAX_IMPORT_BYTES); the api checks it again. */
const MAX_BYTES = 20 * 1024 * 1024

/**
 * Sends a CSV file as it is (the raw body) to /api/uploadContacts; the api
 * checks it and answers its headers, then the mapping step opens.
 */
const ContactImportUpload = () => {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const upload = async (file: File) => {
    setError(null)
    if (file.size > MAX_BYTES) {
      setError(`${file.name} is larger than 20 MB: split it.`)
      return
    }
    setBusy(true)
    try {
      const response = await fetch(`/api/uploadContacts?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: file,
        credentials: 'same-origin',
      })
      const answer = await response.json().catch(() => ({ error: `The upload failed (${response.status}).` }))
      if (!response.ok) setError(answer.error ?? `The upload failed (${response.status}).`)
      else navigate(routes.contactImport({ id: answer.id }))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="rounded border border-slate-200 bg-white p-4">
      <label htmlFor="contactFile" className="text-sm font-medium">
        Import a CSV file
      </label>
      <p className="text-sm text-slate-600">
        UTF-8, a header row, up to 100,000 rows and 20 MB. You choose the columns next.
      </p>
      <input
        id="contactFile"
        type="file"
        accept=".csv,text/csv"
        disabled={busy}
        className="mt-2 block"
        onChange={(e) => {
          const file = e.target.files?.[0]
          if (file) void upload(file)
          e.target.value = ''
        }}
      />
      {busy && <p className="text-sm">Uploading…</p>}
      {error && (
        <p role="alert" className="mt-2 rounded bg-rose-50 p-2 text-sm text-rose-900">
          {error}
        </p>
      )}
    </div>
  )
}

export default ContactImportUpload
