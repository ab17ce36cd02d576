import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeGeoLiteStyleDatabases } from '../../../test/support/geoip-fixtures.ts'
import { NO_GEO_LOCATION, type GeoIpLookup } from './geo-ip.ts'
import { cityFieldsOf, countryName, createMmdbGeoIpSource, ispFieldsOf } from './mmdb-geo-ip.ts'

const NOT_PUBLIC = [
  '127.0.0.1',
  '10.0.0.1',
  '172.16.5.4',
  '192.168.20.237',
  '169.254.1.1',
  '100.64.0.1',
  '203.0.113.9',
  '::1',
  '::',
  'fe80::1',
  'fd00::1',
  '2001:db8::1',
  '::ffff:10.0.0.1',
]
const INVALID = ['', 'unknown', '8.8.8', '8.8.8.8.8', '8.8.8.8:443', '8.8.8.0/24', 'example.com', '999.1.1.1']

describe('bundled DB-IP Lite city database', () => {
  let geo: GeoIpLookup
  beforeAll(async () => {
    geo = await createMmdbGeoIpSource({ city: { kind: 'bundled' }, asnPath: undefined }).open()
  })

  it('places well-known public IPv4 addresses', () => {
    expect(geo.lookup('8.8.8.8')).toEqual({
      country: 'United States',
      countryCode: 'US',
      state: 'California',
      city: 'Mountain View',
      isp: '',
      org: '',
    })
    expect(geo.lookup('1.1.1.1')).toMatchObject({ country: 'Australia', countryCode: 'AU' })
    // MaxMind's documented test address (Andrews & Arnold, London) and RIPE NCC's web server.
    expect(geo.lookup('81.2.69.142')).toMatchObject({ country: 'United Kingdom', countryCode: 'GB', state: 'England' })
    expect(geo.lookup('193.0.6.139')).toMatchObject({ country: 'Netherlands', countryCode: 'NL' })
  })

  it('places IPv6 addresses and IPv4-mapped IPv6', () => {
    expect(geo.lookup('2001:67c:2e8:22::c100:68b')).toMatchObject({ country: 'Netherlands', countryCode: 'NL' })
    expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({ countryCode: expect.stringMatching(/^[A-Z]{2}$/) })
    expect(geo.lookup('::ffff:8.8.8.8')).toEqual(geo.lookup('8.8.8.8'))
    expect(geo.lookup('2A00:1450:4001:80B::200E')).toEqual(geo.lookup('2a00:1450:4001:80b::200e'))
  })

  it.each(NOT_PUBLIC)('leaves %s empty (private, loopback, reserved)', (address) => {
    expect(geo.lookup(address)).toEqual(NO_GEO_LOCATION)
  })

  it.each(INVALID)('leaves invalid address %j empty', (address) => {
    expect(geo.lookup(address)).toEqual(NO_GEO_LOCATION)
  })

  it('shares one opening between callers', async () => {
    const source = createMmdbGeoIpSource({ city: { kind: 'bundled' }, asnPath: undefined })
    const [first, second] = await Promise.all([source.open(), source.open()])
    expect(first).toBe(second)
  })
})

describe('configured MaxMind-format databases', () => {
  let geo: GeoIpLookup
  beforeAll(async () => {
    const files = writeGeoLiteStyleDatabases()
    geo = await createMmdbGeoIpSource({ city: { kind: 'file', path: files.city }, asnPath: files.asn }).open()
  })

  it('reads the GeoLite2-City and GeoLite2-ASN layouts', () => {
    expect(geo.lookup('81.2.69.142')).toEqual({
      country: 'United Kingdom',
      countryCode: 'GB',
      state: 'England',
      city: 'London',
      isp: 'Andrews & Arnold Ltd',
      org: 'Andrews & Arnold Ltd',
    })
    expect(geo.lookup('2a02:8010::1')).toMatchObject({ countryCode: 'GB', city: '', isp: 'Andrews & Arnold Ltd' })
    expect(geo.lookup('8.8.8.8')).toMatchObject({ country: 'United States', countryCode: 'US', org: 'GOOGLE' })
  })

  it('leaves addresses the databases do not hold empty', () => {
    expect(geo.lookup('1.1.1.1')).toEqual(NO_GEO_LOCATION)
    expect(geo.lookup('81.2.70.1')).toMatchObject({ country: '', isp: 'Andrews & Arnold Ltd' })
  })

  it('reports an unreadable database and keeps the others', async () => {
    const files = writeGeoLiteStyleDatabases()
    const broken = join(tmpdir(), `parley-broken-${process.pid}.mmdb`)
    writeFileSync(broken, 'not a MaxMind database')
    const errors: string[] = []
    const lookup = await createMmdbGeoIpSource(
      { city: { kind: 'file', path: broken }, asnPath: files.asn },
      { onError: (_error, path) => errors.push(path) },
    ).open()
    expect(errors).toEqual([broken])
    expect(lookup.lookup('81.2.69.142')).toEqual({
      ...NO_GEO_LOCATION,
      isp: 'Andrews & Arnold Ltd',
      org: 'Andrews & Arnold Ltd',
    })
  })

  it('answers empty fields with no database at all', async () => {
    const lookup = await createMmdbGeoIpSource({ city: { kind: 'none' }, asnPath: undefined }).open()
    expect(lookup.lookup('8.8.8.8')).toEqual(NO_GEO_LOCATION)
  })
})

describe('record layouts', () => {
  it('maps the flat ip-location-db layout, naming the country from its code', () => {
    expect(cityFieldsOf({ country_code: 'de', state1: 'Hesse', state2: '', city: 'Frankfurt am Main' })).toEqual({
      country: 'Germany',
      countryCode: 'DE',
      state: 'Hesse',
      city: 'Frankfurt am Main',
    })
  })

  it('prefers GeoIP2-ISP isp/organization over the AS organisation', () => {
    expect(
      ispFieldsOf({ isp: 'Comcast', organization: 'Acme', autonomous_system_organization: 'COMCAST-7922' }),
    ).toEqual({ isp: 'Comcast', org: 'Acme' })
    expect(ispFieldsOf({ traits: { isp: 'BT', organization: 'BT plc' } })).toEqual({ isp: 'BT', org: 'BT plc' })
  })

  it('ignores records of other shapes', () => {
    expect(cityFieldsOf(null)).toEqual({ country: '', countryCode: '', state: '', city: '' })
    expect(cityFieldsOf({ country: 'US', city: 7 })).toEqual({ country: '', countryCode: '', state: '', city: '' })
    expect(ispFieldsOf('GOOGLE')).toEqual({ isp: '', org: '' })
  })

  it('names countries only for ISO 3166-1 alpha-2 codes', () => {
    expect(countryName('FR')).toBe('France')
    expect(countryName('ZZ')).toBe('')
    expect(countryName('fr')).toBe('')
    expect(countryName('USA')).toBe('')
  })
})
