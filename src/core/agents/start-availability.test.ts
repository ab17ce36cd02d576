import { describe, expect, it } from 'vitest'
import { checkStartAvailability, startAvailability } from './start-availability.ts'

describe('A1 availability extension (start-availability.ts)', () => {
  const groups = (list: string[]) => () => Promise.resolve(list)
  it('keeps the default without a value, takes A4 values in any case', async () => {
    expect(await startAvailability(undefined, groups(['4']), 'Online')).toBe('Online')
    expect(await startAvailability(' away ', groups([]), 'Online')).toBe('Away')
    expect(await startAvailability('OCCUPIED', groups([]), 'Online')).toBe('Occupied')
  })
  it('byRole: Away for Admins and Agent Managers (also when agents too), else the default', async () => {
    expect(await startAvailability('byRole', groups(['4']), 'Online')).toBe('Away')
    expect(await startAvailability('byrole', groups(['1', '2']), 'Online')).toBe('Away')
    expect(await startAvailability('BYROLE', groups(['1']), 'Online')).toBe('Online')
    expect(await startAvailability('byRole', groups(['3']), 'Online')).toBe('Online')
  })
  it('rejects anything else as a validation error', () => {
    for (const value of ['Offline', '', 'busy'])
      expect(() => checkStartAvailability(value), value).toThrow(/must be Online, Away or Occupied/)
    expect(() => checkStartAvailability('byRole')).not.toThrow()
    expect(() => checkStartAvailability(undefined)).not.toThrow()
  })
})
