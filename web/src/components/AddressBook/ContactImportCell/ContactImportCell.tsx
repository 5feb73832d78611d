import { useEffect } from 'react'

import type {
  ContactImportQuery,
  ContactImportQueryVariables,
  DiscardContactImportMutation,
  DiscardContactImportMutationVariables,
  StartContactImportMutation,
  StartContactImportMutationVariables,
} from 'types/graphql'

import { FieldError, Form, SelectField, Submit, TextField, useForm } from '@redwoodjs/forms'
import { Link, navigate, routes } from '@redwoodjs/router'
import {
  useMutation,
  useQuery,
  type CellFailureProps,
  type CellSuccessProps,
  type TypedDocumentNode,
} from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<ContactImportQuery, ContactImportQueryVariables> = gql`
  query ContactImportQuery($id: Int!) {
    contactImport(id: $id) {
      id
      status
      fileName
      byteSize
      headers
      preview
      numberColumnCandidates
      nameColumnGuess
      list {
        id
        name
      }
      progress
      rowsRead
      created
      updated
      duplicatesMerged
      optedOut
      badRows
      error
      maxRows
      problems(take: 100) {
        line
        reason
        value
      }
    }
  }
`

const LISTS = gql`
  query ContactImportListsQuery {
    contactLists {
      id
      name
    }
  }
`

const START: TypedDocumentNode<StartContactImportMutation, StartContactImportMutationVariables> = gql`
  mutation StartContactImportMutation($input: StartContactImportInput!) {
    startContactImport(input: $input) {
      id
      status
    }
  }
`

const DISCARD: TypedDocumentNode<DiscardContactImportMutation, DiscardContactImportMutationVariables> = gql`
  mutation DiscardContactImportMutation($id: Int!) {
    discardContactImport(id: $id) {
      id
    }
  }
`

export const beforeQuery = (props: ContactImportQueryVariables) => ({
  variables: { id: props.id },
  fetchPolicy: 'network-only' as const,
})

export const Loading = () => <p className="text-slate-600">Loading the import…</p>

export const Empty = () => (
  <p className="text-slate-600">No such upload (a file not imported within a day is dropped).</p>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900">
    {error?.message}
  </p>
)

type Import = NonNullable<ContactImportQuery['contactImport']>
type Role = 'number' | 'name' | 'field' | 'ignore'
/** One select per column, by position (a header may hold any character); the list; a new list's name. */
type MappingValues = { columns: Role[]; list: string; newListName: string }

/** The mapping step: what each column is, and which list the contacts join. */
const Mapping = ({ upload }: { upload: Import }) => {
  const can = useCan()
  const numberGuess = upload.numberColumnCandidates[0] ?? upload.headers[0]
  const formMethods = useForm<MappingValues>({
    defaultValues: {
      columns: upload.headers.map((h) =>
        h === numberGuess ? 'number' : h === upload.nameColumnGuess ? 'name' : 'field'
      ),
      list: 'new',
      newListName: upload.fileName.replace(/\.csv$/i, ''),
    },
  })
  const { watch, getValues, setValue } = formMethods
  const lists = useQuery(LISTS)
  const [start, { loading, error }] = useMutation(START)
  const [discard] = useMutation(DISCARD)
  // One number column and one name column: choosing another turns the previous one into a field.
  const onRole = (index: number, role: string) => {
    if (role !== 'number' && role !== 'name') return
    getValues('columns').forEach((r, i) => {
      if (i !== index && r === role) setValue(`columns.${i}`, 'field')
    })
  }
  const roles = watch('columns')
  const numberColumn = upload.headers.find((_h, i) => roles[i] === 'number')
  const listChoice = watch('list')

  const onSubmit = ({ columns, list, newListName }: MappingValues) => {
    if (!numberColumn) return
    start({
      variables: {
        input: {
          importId: upload.id,
          numberColumn,
          nameColumn: upload.headers.find((_h, i) => columns[i] === 'name') ?? null,
          fieldColumns: upload.headers.filter((_h, i) => columns[i] === 'field'),
          ...(list === 'new' ? { newListName } : list === 'none' ? {} : { listId: Number(list) }),
        },
      },
    }).catch(() => {})
  }

  return (
    <Form<MappingValues> formMethods={formMethods} onSubmit={onSubmit} aria-label="Choose the columns">
      <p className="mb-2 text-sm text-slate-600">
        {upload.fileName} ({Math.ceil(upload.byteSize / 1024).toLocaleString('en')} KB). Say what each column is; the
        first rows are shown below each header. Numbers without + are read in the desk’s default country.
      </p>
      <div className="overflow-x-auto">
        <table className="border-collapse bg-white text-sm">
          <thead>
            <tr>
              {upload.headers.map((h, i) => (
                <th key={i} className="border border-slate-200 p-2 text-left align-top">
                  <div className="font-semibold">{h}</div>
                  <SelectField
                    name={`columns.${i}`}
                    id={`column-${i}`}
                    aria-label={`Column ${h} is`}
                    className="mt-1 block rounded border border-slate-300 px-1 py-0.5 font-normal"
                    onChange={(e) => onRole(i, e.target.value)}
                  >
                    <option value="number">Phone number</option>
                    <option value="name">Name</option>
                    <option value="field">Field “{h}”</option>
                    <option value="ignore">Ignore</option>
                  </SelectField>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {upload.preview.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className="border border-slate-200 p-2 font-mono text-xs">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <fieldset className="mt-4">
        <legend className="text-sm font-medium">Add the contacts to</legend>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <SelectField name="list" aria-label="List" className="max-w-full rounded border border-slate-300 px-2 py-1">
            <option value="new">A new list…</option>
            <option value="none">No list (the contact book only)</option>
            {(lists.data?.contactLists ?? []).map((l: { id: number; name: string }) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </SelectField>
          {listChoice === 'new' && (
            <TextField
              name="newListName"
              aria-label="New list name"
              className="min-w-0 rounded border border-slate-300 px-2 py-1"
              validation={{
                validate: (v: string) => v.trim() !== '' || 'Name the new list.',
                maxLength: { value: 200, message: 'A list name has at most 200 characters.' },
              }}
            />
          )}
        </div>
        <FieldError name="newListName" className="mt-1 block text-sm text-rose-900" />
      </fieldset>
      {!numberColumn && (
        <p role="alert" className="mt-2 text-sm text-rose-900">
          Choose the column with the phone numbers.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-2 rounded bg-rose-50 p-2 text-sm text-rose-900">
          {error.message}
        </p>
      )}
      {can('send') && (
        <div className="mt-4 flex gap-2">
          <Submit
            disabled={loading || !numberColumn}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            Import
          </Submit>
          <button
            type="button"
            className="rounded border border-slate-300 px-4 py-2"
            onClick={() =>
              discard({ variables: { id: upload.id } }).then(
                () => navigate(routes.addressBook()),
                (e: Error) => toast.error(e.message)
              )
            }
          >
            Discard
          </button>
        </div>
      )}
    </Form>
  )
}

const Progress = ({ upload }: { upload: Import }) => (
  <div>
    <progress
      className="h-4 w-full"
      max={100}
      value={upload.progress}
      aria-label="Import progress"
      data-progress={upload.progress}
    />
    <p className="text-sm text-slate-600">
      {upload.status === 'queued'
        ? 'Waiting to start…'
        : // Rows are saved as they are read (one transaction): reading is the whole import.
          `Reading and saving row ${upload.rowsRead.toLocaleString('en')}`}
    </p>
  </div>
)

const Result = ({ upload }: { upload: Import }) => (
  <div>
    {upload.status === 'failed' ? (
      <p role="alert" className="rounded bg-rose-50 p-2 text-rose-900">
        Nothing was imported: {upload.error}
      </p>
    ) : (
      <p className="rounded bg-emerald-50 p-2 text-emerald-900" data-testid="import-summary">
        Imported {upload.rowsRead.toLocaleString('en')} rows: {upload.created.toLocaleString('en')} new contacts,{' '}
        {upload.updated.toLocaleString('en')} already in the book (merged),{' '}
        {upload.duplicatesMerged.toLocaleString('en')} duplicate rows merged, {upload.optedOut.toLocaleString('en')}{' '}
        opted out, {upload.badRows.toLocaleString('en')} bad rows.
        {upload.list && (
          <>
            {' '}
            <Link to={routes.contactList({ id: upload.list.id })} className="underline">
              Open the list “{upload.list.name}”
            </Link>
          </>
        )}
      </p>
    )}
    {upload.badRows > 0 && (
      <section className="mt-4">
        <h2 className="font-semibold">Bad rows</h2>
        <p className="text-sm text-slate-600">
          Lines count from the header (line 1).{' '}
          <a href={`/api/exportContacts?importId=${upload.id}`} className="text-indigo-700 underline" download>
            Download all {upload.badRows.toLocaleString('en')} as CSV
          </a>
        </p>
        <table className="mt-2 border-collapse bg-white text-sm" aria-label="Bad rows">
          <thead>
            <tr className="border-b text-left">
              <th className="p-2">Line</th>
              <th className="p-2">Reason</th>
              <th className="p-2">Value</th>
            </tr>
          </thead>
          <tbody>
            {upload.problems.map((p) => (
              <tr key={p.line} className="border-b border-slate-100" data-line={p.line}>
                <td className="p-2">{p.line}</td>
                <td className="p-2">{p.reason}</td>
                <td className="p-2 font-mono">{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    )}
  </div>
)

export const Success = ({
  contactImport: upload,
  queryResult,
}: CellSuccessProps<ContactImportQuery, ContactImportQueryVariables>) => {
  const refetch = queryResult?.refetch
  const active = upload.status === 'queued' || upload.status === 'running'
  // Polls while the import runs (its progress lives in Postgres, written by whichever api instance runs it).
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => void refetch?.(), 500)
    return () => clearInterval(timer)
  }, [active, refetch])
  return (
    <section aria-label="Contact import" data-status={upload.status}>
      {upload.status === 'uploaded' ? (
        <Mapping upload={upload} />
      ) : active ? (
        <Progress upload={upload} />
      ) : (
        <Result upload={upload} />
      )}
    </section>
  )
}
