import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeMmdb } from './mmdb-writer.ts'

/**
 * Writes a GeoLite2-City-layout and a GeoLite2-ASN-layout .mmdb file to a temporary folder (what an
 * operator configures with PARLEY_GEOIP_CITY_DB / PARLEY_GEOIP_ASN_DB). The records are made up for
 * the test; they are not MaxMind data.
 */
export function writeGeoLiteStyleDatabases(): { city: string; asn: string } {
  const folder = mkdtempSync(join(tmpdir(), 'parley-geoip-'))
  const city = join(folder, 'Test-City.mmdb')
  const asn = join(folder, 'Test-ASN.mmdb')
  writeFileSync(
    city,
    writeMmdb('GeoLite2-City', [
      [
        '81.2.69.0/24',
        {
          city: { geoname_id: 2643743, names: { en: 'London', de: 'London' } },
          country: { iso_code: 'GB', names: { en: 'United Kingdom', fr: 'Royaume-Uni' } },
          subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
        },
      ],
      ['2a02:8010::/32', { country: { iso_code: 'GB', names: { en: 'United Kingdom' } } }],
      ['8.8.8.0/24', { registered_country: { iso_code: 'US', names: { en: 'United States' } } }],
    ]),
  )
  writeFileSync(
    asn,
    writeMmdb('GeoLite2-ASN', [
      ['81.2.64.0/19', { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' }],
      ['2a02:8010::/32', { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' }],
      ['8.8.8.0/24', { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' }],
    ]),
  )
  return { city, asn }
}
