import { describe, expect, it } from 'vitest'
import { parseTimestamp, parseTimestamptz } from '../../../../src/server/source/postgres/postgres-types.ts'

describe('postgres type parsers', () => {
  it('renders a timestamp as ISO 8601 at second resolution', () => {
    expect(parseTimestamp('2024-03-01 07:15:09')).toBe('2024-03-01T07:15:09')
    expect(parseTimestamp('2024-03-01 07:15:09.75')).toBe('2024-03-01T07:15:09')
  })

  it('leaves infinity and BC timestamps as the server wrote them', () => {
    expect(parseTimestamp('infinity')).toBe('infinity')
    expect(parseTimestamp('0044-03-15 12:00:00 BC')).toBe('0044-03-15 12:00:00 BC')
  })

  it('renders a timestamptz as the UTC instant', () => {
    expect(parseTimestamptz('2024-03-01 07:15:09+02')).toBe('2024-03-01T05:15:09')
    expect(parseTimestamptz('2024-03-01 23:30:00-01:30')).toBe('2024-03-02T01:00:00')
  })
})
