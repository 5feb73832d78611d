/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (a leading =,
 * +, -, @, tab or CR) get a leading apostrophe — the OWASP advice against CSV
 * injection — unless the cell is a plain number (E.164 numbers, -5, 2.5):
 * "-2+3" is a formula to a spreadsheet, so it is escaped too.
 */
const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = value instanceof Date ? value.toISOString() : String(value)
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}
