import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/config.ts'

const cwd = '/srv/parley'

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-config-'))
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  )
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('uses documented defaults when nothing is set', () => {
    const config = loadConfig({}, {}, cwd)
    expect(config.port).toBe(8080)
    expect(config.host).toBe('127.0.0.1')
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/parley/data/parley.db' })
    expect(config.dataDir).toBe('/srv/parley/data')
    expect(config.publicUrl).toBeUndefined()
    expect(config.tls).toBeUndefined()
    expect(config.logLevel).toBe('info')
    expect(config.demo).toBe(true)
    expect(config.migrateOnBoot).toBe(true)
    expect(config.trustProxy).toBe(false)
  })

  it('reads PARLEY_* environment variables', () => {
    const config = loadConfig(
      {
        PARLEY_PORT: '9000',
        PARLEY_HOST: '0.0.0.0',
        PARLEY_DATABASE_URL: 'postgres://parley@db/parley',
        PARLEY_PUBLIC_URL: 'https://chat.example.com',
        PARLEY_LOG_LEVEL: 'debug',
        PARLEY_DEMO: 'false',
        PARLEY_MIGRATE_ON_BOOT: '0',
        PARLEY_TRUST_PROXY: 'yes',
      },
      {},
      cwd,
    )
    expect(config.port).toBe(9000)
    expect(config.host).toBe('0.0.0.0')
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://parley@db/parley' })
    expect(config.publicUrl?.href).toBe('https://chat.example.com/')
    expect(config.logLevel).toBe('debug')
    expect(config.demo).toBe(false)
    expect(config.migrateOnBoot).toBe(false)
    expect(config.trustProxy).toBe(true)
  })

  it('lets flags override environment variables', () => {
    const config = loadConfig(
      {
        PARLEY_PORT: '9000',
        PARLEY_HOST: '0.0.0.0',
        PARLEY_DATABASE_URL: 'postgres://parley@db/parley',
        PARLEY_PUBLIC_URL: 'https://env.example.com',
        PARLEY_LOG_LEVEL: 'debug',
      },
      {
        port: '7000',
        host: '127.0.0.2',
        database: 'flag.db',
        'public-url': 'http://flag.example.com:81',
        'log-level': 'warn',
      },
      cwd,
    )
    expect(config.port).toBe(7000)
    expect(config.host).toBe('127.0.0.2')
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/parley/flag.db' })
    expect(config.publicUrl?.href).toBe('http://flag.example.com:81/')
    expect(config.logLevel).toBe('warn')
  })

  it('accepts port 0 to pick a free port', () => {
    expect(loadConfig({ PARLEY_PORT: '0' }, {}, cwd).port).toBe(0)
  })

  it.each([[' '], ['0x1F90'], ['1e3'], ['80.5'], ['-1'], ['65536']])('rejects %j as a port', (raw) => {
    expect(problemsOf(() => loadConfig({ PARLEY_PORT: raw }, {}, cwd))).toEqual([
      expect.stringContaining('PARLEY_PORT/--port must be an integer'),
    ])
  })

  it.each([
    ['a plain relative path', 'data/x.db', { kind: 'sqlite', path: '/srv/parley/data/x.db' }],
    ['a plain absolute path', '/var/lib/parley/x.db', { kind: 'sqlite', path: '/var/lib/parley/x.db' }],
    ['sqlite:PATH relative', 'sqlite:./x.db', { kind: 'sqlite', path: '/srv/parley/x.db' }],
    ['sqlite:PATH absolute', 'sqlite:/var/x.db', { kind: 'sqlite', path: '/var/x.db' }],
    ['sqlite:///PATH', 'sqlite:///var/x.db', { kind: 'sqlite', path: '/var/x.db' }],
    ['an in-memory SQLite database', 'sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['a postgres:// URL', 'postgres://u:p@h:5433/d', { kind: 'postgres', url: 'postgres://u:p@h:5433/d' }],
    ['a postgresql:// URL', 'postgresql://u@h/d', { kind: 'postgres', url: 'postgresql://u@h/d' }],
  ])('parses %s as the database', (_name, raw, expected) => {
    expect(loadConfig({ PARLEY_DATABASE_URL: raw }, {}, cwd).database).toEqual(expected)
  })

  it('keeps data files next to the SQLite file and under ./data otherwise', () => {
    expect(loadConfig({}, { database: '/var/lib/parley/x.db' }, cwd).dataDir).toBe('/var/lib/parley')
    expect(loadConfig({}, { database: 'postgres://h/d' }, cwd).dataDir).toBe('/srv/parley/data')
  })

  it('rejects database URLs of other schemes', () => {
    expect(problemsOf(() => loadConfig({ PARLEY_DATABASE_URL: 'mysql://h/d' }, {}, cwd))).toEqual([
      expect.stringContaining('unsupported database URL'),
    ])
  })

  // Issue 12: a typo in a URL used to become a SQLite file named after it.
  it.each([['postgres:/oops'], ['postgresql:h/d'], ['postgres:'], ['file:parley.db'], ['sqlite3:x.db'], ['http://x']])(
    'rejects %s instead of opening a SQLite file of that name',
    (raw) => {
      expect(problemsOf(() => loadConfig({ PARLEY_DATABASE_URL: raw }, {}, cwd))).toEqual([
        expect.stringMatching(/not a valid postgres:\/\/ URL|unsupported database URL/),
      ])
    },
  )

  it('reads a one-letter scheme as a Windows drive letter and never quotes a PostgreSQL password', () => {
    expect(loadConfig({ PARLEY_DATABASE_URL: 'C:/parley/x.db' }, {}, cwd).database.kind).toBe('sqlite')
    expect(
      problemsOf(() => loadConfig({ PARLEY_DATABASE_URL: 'postgres:/u:pw-123@h/d' }, {}, cwd)).join(),
    ).not.toContain('pw-123')
  })

  it('reports a certificate or key that is not PEM, or a key of another certificate', () => {
    const garbage = join(dir, 'garbage.pem')
    writeFileSync(garbage, 'not PEM')
    const otherKey = join(dir, 'other-key.pem')
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-out', otherKey], { stdio: 'ignore' })
    const tls = (c: string, k: string) => () => loadConfig({}, { 'tls-port': '0', 'tls-cert': c, 'tls-key': k }, cwd)
    expect(problemsOf(tls(garbage, key))).toEqual([expect.stringContaining('is not a PEM certificate')])
    expect(problemsOf(tls(cert, garbage))).toEqual([expect.stringContaining('is not an unencrypted PEM private key')])
    expect(problemsOf(tls(cert, otherKey))).toEqual([
      expect.stringContaining('is not the private key of the certificate'),
    ])
  })

  it('reports an invalid port, log level and public URL together in one error', () => {
    const problems = problemsOf(() =>
      loadConfig({ PARLEY_LOG_LEVEL: 'loud' }, { port: '70000', 'public-url': 'ftp://example.com' }, cwd),
    )
    expect(problems).toHaveLength(3)
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/--port.*70000/),
        expect.stringMatching(/--log-level.*loud/),
        expect.stringMatching(/--public-url.*ftp:\/\/example\.com/),
      ]),
    )
  })

  it('lists every problem in the error message', () => {
    try {
      loadConfig({ PARLEY_PORT: 'abc', PARLEY_PUBLIC_URL: 'not a url' }, {}, cwd)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).message).toContain('"abc"')
      expect((error as ConfigError).message).toContain('"not a url"')
    }
  })

  it('enables HTTPS only with port, certificate and key together', () => {
    const config = loadConfig({}, { 'tls-port': '8443', 'tls-cert': cert, 'tls-key': key }, cwd)
    expect(config.tls?.port).toBe(8443)
    expect(config.tls?.cert.toString()).toBe(readFileSync(cert, 'utf8'))
    expect(config.tls?.key.toString()).toBe(readFileSync(key, 'utf8'))

    expect(problemsOf(() => loadConfig({}, { 'tls-port': '8443', 'tls-cert': cert }, cwd))).toEqual([
      expect.stringContaining('HTTPS needs all of'),
    ])
    expect(problemsOf(() => loadConfig({ PARLEY_TLS_KEY: key }, {}, cwd))).toEqual([
      expect.stringContaining('HTTPS needs all of'),
    ])
  })

  it('reports unreadable TLS files', () => {
    expect(
      problemsOf(() => loadConfig({}, { 'tls-port': '0', 'tls-cert': join(dir, 'missing.pem'), 'tls-key': key }, cwd)),
    ).toEqual([expect.stringContaining('missing.pem')])
  })

  it('turns the demo account off with --no-demo even when PARLEY_DEMO is true', () => {
    expect(loadConfig({ PARLEY_DEMO: 'true' }, { 'no-demo': true }, cwd).demo).toBe(false)
    expect(loadConfig({}, { 'no-demo': false }, cwd).demo).toBe(true)
  })

  it('rejects a boolean variable that is not true or false', () => {
    expect(problemsOf(() => loadConfig({ PARLEY_DEMO: 'maybe' }, {}, cwd))).toEqual([
      expect.stringContaining('PARLEY_DEMO'),
    ])
  })

  it('returns a deeply frozen object', () => {
    const config = loadConfig({}, {}, cwd)
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.database)).toBe(true)
  })
})

describe('loadConfig: trusted proxies and geo-IP databases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-geoip-config-'))
  const cityDb = join(dir, 'GeoLite2-City.mmdb')
  const asnDb = join(dir, 'GeoLite2-ASN.mmdb')
  writeFileSync(cityDb, 'mmdb')
  writeFileSync(asnDb, 'mmdb')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('defaults to no trusted proxy and the bundled city database', () => {
    const config = loadConfig({}, {}, cwd)
    expect(config.trustedProxies).toEqual([])
    expect(config.geoIp).toEqual({ city: { kind: 'bundled' }, asnPath: undefined })
  })

  it('reads PARLEY_TRUSTED_PROXIES as IPs and CIDRs', () => {
    const config = loadConfig({ PARLEY_TRUSTED_PROXIES: ' 10.0.0.1, 192.168.0.0/16,::1 , fd00::/8,' }, {}, cwd)
    expect(config.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8'])
    expect(Object.isFrozen(config.trustedProxies)).toBe(true)
  })

  it('rejects entries that are not IPs or CIDRs, and PARLEY_TRUST_PROXY together with a list', () => {
    expect(
      problemsOf(() => loadConfig({ PARLEY_TRUSTED_PROXIES: 'proxy.local,10.0.0.0/33,::1/129,1.2.3.4/8/1' }, {}, cwd)),
    ).toEqual([
      expect.stringContaining('"proxy.local"'),
      expect.stringContaining('"10.0.0.0/33"'),
      expect.stringContaining('"::1/129"'),
      expect.stringContaining('"1.2.3.4/8/1"'),
    ])
    expect(
      problemsOf(() => loadConfig({ PARLEY_TRUSTED_PROXIES: '10.0.0.1', PARLEY_TRUST_PROXY: 'true' }, {}, cwd)),
    ).toEqual([expect.stringContaining('not both')])
  })

  it('reads database paths relative to the working directory, or none', () => {
    expect(
      loadConfig({ PARLEY_GEOIP_CITY_DB: 'GeoLite2-City.mmdb', PARLEY_GEOIP_ASN_DB: asnDb }, {}, dir).geoIp,
    ).toEqual({
      city: { kind: 'file', path: cityDb },
      asnPath: asnDb,
    })
    expect(loadConfig({ PARLEY_GEOIP_CITY_DB: 'none' }, {}, cwd).geoIp.city).toEqual({ kind: 'none' })
    expect(loadConfig({ PARLEY_GEOIP_CITY_DB: 'Bundled' }, {}, cwd).geoIp.city).toEqual({ kind: 'bundled' })
  })

  it('reports database files that cannot be read', () => {
    expect(
      problemsOf(() =>
        loadConfig({ PARLEY_GEOIP_CITY_DB: join(dir, 'missing.mmdb'), PARLEY_GEOIP_ASN_DB: dir }, {}, cwd),
      ),
    ).toEqual([expect.stringContaining('PARLEY_GEOIP_CITY_DB'), expect.stringContaining('PARLEY_GEOIP_ASN_DB')])
  })
})
