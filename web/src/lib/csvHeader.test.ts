import { csvHeader, fieldKey, isPlaceholderName } from './csvHeader'

describe('csvHeader', () => {
  it('reads the first record: quotes, doubled quotes, commas inside quotes, a BOM, CRLF, blanks trimmed', () => {
    expect(csvHeader('\uFEFFphone, First name ,"City, town","say ""hi"""\r\n+4670,Ana,Oslo,x\r\n')).toEqual([
      'phone',
      'First name',
      'City, town',
      'say "hi"',
    ])
  })

  it('a quoted header may span lines; leading empty lines are skipped; an empty file has no columns', () => {
    expect(csvHeader('\n\n"mobile\nnumber",name\n1,2')).toEqual(['mobile\nnumber', 'name'])
    expect(csvHeader('')).toEqual([])
    expect(csvHeader('single')).toEqual(['single'])
  })

  it('matches columns to placeholders as the api does', () => {
    expect(fieldKey(' Appointment Date ')).toBe('appointment_date')
    expect(isPlaceholderName(fieldKey('Appointment Date'))).toBe(true)
    expect(isPlaceholderName(fieldKey('Price (€)'))).toBe(false)
  })
})
