/**
 * A 100,000-row contact CSV through the built api: uploaded to
 * /uploadContacts, mapped with startContactImport, imported by the api's
 * background runner, polled until done (as the import page does).
 *
 * Figures a noisy machine barely moves: CPU seconds of the api process and
 * of its Postgres backends (from /proc), rows per CPU-second, and the ratio
 * against a reference measured in the same run: this process parsing the
 * same file with csv-parse and normalising every number with the same
 * libphonenumber call (the work no import can avoid). Memory: the api's
 * resident set sampled every 50 ms, before and at its peak.
 */
import fs from 'node:fs'

import { parse } from 'csv-parse'

import { normalisePhoneNumber } from '../api/src/lib/phone'

import { cpuMs, withClient } from './lib'
import type { Session } from './queries'

export type ImportFigures = {
  rows: number
  bytes: number
  uploadMs: number
  importMs: number
  apiCpuS: number
  dbCpuS: number
  rowsPerApiCpuS: number
  referenceCpuS: number
  apiCpuOverReference: number
  rssBeforeMb: number
  rssPeakMb: number
  rssAfterUploadMb: number
  rssPeakByPhaseMb: Record<string, number>
  result: Record<string, unknown>
}

/** 100,000 rows: number (national and international forms), name, two fields; every 1,000th row bad. */
export function benchCsv(rows: number): Buffer {
  const lines = ['phone,name,city,team']
  for (let i = 0; i < rows; i++) {
    const n = String(1_000_000 + i)
    const phone = i % 1000 === 999 ? 'n/a' : i % 2 ? `+46 73 ${n}` : `+4673${n}`
    lines.push(`${phone},Person ${i},City ${i % 97},Team ${i % 13}`)
  }
  return Buffer.from(lines.join('\n') + '\n')
}

async function referenceCpuS(file: Buffer): Promise<number> {
  const before = process.cpuUsage()
  const parser = parse({ relax_column_count: true, skip_empty_lines: true })
  parser.end(file)
  let valid = 0
  for await (const record of parser as AsyncIterable<string[]>) {
    if (normalisePhoneNumber(record[0], 'US').ok) valid++
  }
  const used = process.cpuUsage(before)
  if (valid === 0) throw new Error('reference parsed nothing')
  return (used.user + used.system) / 1e6
}

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function gql(apiUrl: string, session: Session, query: string, variables: object) {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] }
  if (json.errors?.length) throw new Error(json.errors[0].message)
  return json.data!
}

export async function runContactImport(options: {
  apiUrl: string
  session: Session
  apiPid: number
  databaseUrl: string
  rows: number
}): Promise<ImportFigures> {
  const { apiUrl, session, apiPid, databaseUrl, rows } = options
  const file = benchCsv(rows)
  const reference = Math.min(await referenceCpuS(file), await referenceCpuS(file))

  const backendPids = () =>
    withClient(databaseUrl, async (client) =>
      (
        await client.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
      ).rows.map((r: { pid: number }) => r.pid)
    )
  const rssBefore = rssMb(apiPid)
  let rssPeak = rssBefore
  const sampler = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, rssMb(apiPid))
    } catch {
      // the api is gone; the run fails below
    }
  }, 50)
  const pidsBefore = await backendPids()
  const cpuBefore = cpuMs([apiPid, ...pidsBefore])

  const started = Date.now()
  const upload = await fetch(`${apiUrl}/uploadContacts?name=bench.csv`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'text/csv' },
    body: file,
  })
  const uploaded = (await upload.json()) as { id: number; error?: string }
  if (!upload.ok) throw new Error(`upload failed: ${upload.status} ${uploaded.error}`)
  const uploadMs = Date.now() - started
  const rssAfterUpload = rssMb(apiPid)
  const queued = Date.now()
  await gql(
    apiUrl,
    session,
    `mutation ($input: StartContactImportInput!) { startContactImport(input: $input) { id status } }`,
    {
      input: {
        importId: uploaded.id,
        numberColumn: 'phone',
        nameColumn: 'name',
        fieldColumns: ['city', 'team'],
        newListName: `Bench ${Date.now()}`,
      },
    }
  )
  // Polled in the database, not through GraphQL: the page's polling is not the import's cost.
  let phase = 'queued'
  const peakByPhase: Record<string, number> = {}
  const phaseSampler = setInterval(() => {
    try {
      peakByPhase[phase] = Math.max(peakByPhase[phase] ?? 0, rssMb(apiPid))
    } catch {
      // the api is gone; the run fails below
    }
  }, 50)
  let result: Record<string, unknown> = {}
  await withClient(databaseUrl, async (client) => {
    for (;;) {
      const { rows } = await client.query(
        'SELECT status, phase, "rowsRead", created, updated, "badRows", error FROM "ContactImport" WHERE id = $1',
        [uploaded.id]
      )
      result = rows[0]
      phase = String(result.phase ?? result.status)
      if (result.status === 'done' || result.status === 'failed') break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  })
  clearInterval(phaseSampler)
  const importMs = Date.now() - queued
  clearInterval(sampler)
  if (result.status !== 'done') throw new Error(`import failed: ${result.error}`)
  const pidsAfter = [...new Set([...pidsBefore, ...(await backendPids())])]
  const cpuAfter = cpuMs([apiPid, ...pidsAfter])
  const apiCpuS = (cpuAfter.get(apiPid)! - cpuBefore.get(apiPid)!) / 1000
  const dbCpuS =
    pidsAfter.reduce((sum, pid) => sum + Math.max(0, (cpuAfter.get(pid) ?? 0) - (cpuBefore.get(pid) ?? 0)), 0) / 1000
  return {
    rows,
    bytes: file.length,
    uploadMs,
    importMs,
    apiCpuS,
    dbCpuS,
    rowsPerApiCpuS: Math.round(rows / apiCpuS),
    referenceCpuS: reference,
    apiCpuOverReference: Math.round((apiCpuS / reference) * 100) / 100,
    rssBeforeMb: Math.round(rssBefore),
    rssPeakMb: Math.round(rssPeak),
    rssAfterUploadMb: Math.round(rssAfterUpload),
    rssPeakByPhaseMb: Object.fromEntries(Object.entries(peakByPhase).map(([k, v]) => [k, Math.round(v)])),
    result,
  }
}

export function contactImportMarkdown(f: ImportFigures, rssTargetMb: number): string[] {
  return [
    `A ${f.rows.toLocaleString('en')}-row CSV (${(f.bytes / 1024 / 1024).toFixed(1)} MB; every 1,000th row bad), uploaded, mapped and imported by the built api's background runner into a new list.`,
    ``,
    `| figure | value |`,
    `|---|---:|`,
    `| upload (HTTP, checked and stored) | ${f.uploadMs.toLocaleString('en')} ms |`,
    `| import (queued → done, polled in the database every 200 ms) | ${(f.importMs / 1000).toFixed(1)} s |`,
    `| api CPU | ${f.apiCpuS.toFixed(2)} s |`,
    `| Postgres backends' CPU | ${f.dbCpuS.toFixed(2)} s |`,
    `| rows per api CPU-second | ${f.rowsPerApiCpuS.toLocaleString('en')} |`,
    `| reference: csv-parse + libphonenumber of every number, in the bench process | ${f.referenceCpuS.toFixed(2)} s CPU |`,
    `| **api CPU / reference** | **${f.apiCpuOverReference}** |`,
    `| api resident memory before → peak (target < ${rssTargetMb} MB) | ${f.rssBeforeMb} → **${f.rssPeakMb} MB** |`,
    `| api resident memory once the upload is answered | ${f.rssAfterUploadMb} MB |`,
    `| api resident memory, peak by phase | ${Object.entries(f.rssPeakByPhaseMb).map(([k, v]) => `${k} ${v} MB`).join(', ')} |`,
    `| result | ${JSON.stringify(f.result)} |`,
  ]
}
