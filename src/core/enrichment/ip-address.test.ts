import { describe, expect, it } from 'vitest'
import { isPublicIp, normalizeIp } from './ip-address.ts'

describe('normalizeIp', () => {
  it('accepts IPv4 and IPv6 addresses, unmapping IPv4-mapped IPv6 and lower-casing IPv6', () => {
    expect(normalizeIp(' 81.2.69.142 ')).toBe('81.2.69.142')
    expect(normalizeIp('::ffff:81.2.69.142')).toBe('81.2.69.142')
    expect(normalizeIp('::FFFF:81.2.69.142')).toBe('81.2.69.142')
    expect(normalizeIp('2001:67C:2E8:22::C100:68B')).toBe('2001:67c:2e8:22::c100:68b')
    expect(normalizeIp('::1')).toBe('::1')
  })

  it.each([
    '',
    'unknown',
    'example.com',
    '1.2.3',
    '1.2.3.4:80',
    '1.2.3.4, 5.6.7.8',
    '10.0.0.0/8',
    '256.1.1.1',
    '[::1]',
  ])('rejects %j', (value) => {
    expect(normalizeIp(value)).toBeUndefined()
  })
})

describe('isPublicIp', () => {
  it.each(['8.8.8.8', '81.2.69.142', '1.1.1.1', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e'])(
    '%s is public',
    (address) => {
      expect(isPublicIp(address)).toBe(true)
    },
  )

  it.each([
    '0.0.0.0',
    '10.20.30.40',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.31.255.255',
    '192.0.2.1',
    '192.168.20.237',
    '198.18.0.1',
    '198.51.100.1',
    '203.0.113.9',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '2001:db8::1',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    'not an address',
  ])('%s is not public', (address) => {
    expect(isPublicIp(address)).toBe(false)
  })
})
