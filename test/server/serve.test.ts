import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createStorage } from '../../src/storage/db.ts'
import { startCli, type CliProcess } from '../support/cli.ts'

const LISTENING = /Parley is listening on (http:\/\/127\.0\.0\.1:(\d+))(?: and (https:\/\/127\.0\.0\.1:(\d+)))?\n/
const DEMO_BANNER = 'Created the demo account'

interface DemoCredentials {
  accountId: string
  admin: { loginName: string; password: string }
  agents: Array<{ loginName: string; password: string }>
  appKey: string
  apiKey: { appKey: string; secret: string; accessToken: string; accessTokenSecret: string }
}

/** One request over HTTPS to the test's self-signed listener. */
function httpsCall(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, {
      method,
      rejectUnauthorized: false,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    })
    request.once('error', reject)
    request.once('response', (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      res.once('end', () => resolve({ status: res.statusCode, body: text }))
    })
    request.end(body)
  })
}

describe('parley serve', () => {
  const dirs: string[] = []
  const processes: CliProcess[] = []
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-serve-'))
    dirs.push(dir)
    return dir
  }
  /** Starts `parley serve` on a free port in `dir` and waits for its listening line. */
  const serve = async (dir: string, ...args: string[]) => {
    const server = startCli(['serve', '--port', '0', '--database', join(dir, 'parley.db'), ...args], { cwd: dir })
    processes.push(server)
    const [, httpUrl, , httpsUrl] = await server.waitForOutput(LISTENING)
    return { server, httpUrl: httpUrl!, httpsUrl }
  }
  const accountIds = async (dir: string): Promise<string[]> => {
    const storage = createStorage({ kind: 'sqlite', path: join(dir, 'parley.db') })
    try {
      return (await storage.db.selectFrom('accounts').select('id').execute()).map((row) => row.id)
    } finally {
      await storage.close()
    }
  }

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((server) => server.stop()))
  })
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('creates the demo account on an empty database, prints its credentials once and saves them with mode 0600', async () => {
    const dir = tempDir()
    const first = await serve(dir, '--log-level', 'warn')
    const file = join(dir, 'demo-credentials.json')
    await first.server.waitForOutput(/Try:\n/)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials
    expect(saved.accountId).toBe('demo')
    expect(saved.admin.loginName).toBe('admin')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const printed = first.server.stdout()
    expect(printed.split(DEMO_BANNER)).toHaveLength(2)
    expect(printed).toContain(saved.admin.password)
    expect(printed).toContain(saved.apiKey.accessTokenSecret)
    expect(printed).toContain(`${first.httpUrl}/api/account/demo/login`)
    expect(printed).toContain(`Parley Console: ${first.httpUrl}/console/?account=demo`)
    expect(printed).toContain(`alice / ${saved.agents[0]!.password}`)
    expect(printed).not.toContain('{{BASE}}')

    const login = await fetch(`${first.httpUrl}/api/account/demo/login?v=1.3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: saved.admin.password }),
    })
    expect(login.status).toBe(200)
    await first.server.stop()

    const second = await serve(dir, '--log-level', 'warn')
    expect((await fetch(`${second.httpUrl}/healthz`)).status).toBe(200)
    expect(second.server.stdout()).not.toContain(DEMO_BANNER)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved)
    expect(await accountIds(dir)).toEqual(['demo'])
  })

  it('creates nothing with --no-demo', async () => {
    const dir = tempDir()
    const { server, httpUrl } = await serve(dir, '--no-demo', '--log-level', 'warn')
    expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200)
    expect((await fetch(`${httpUrl}/api/account/demo/service/agentVep/baseURI.json`)).status).toBe(404)
    expect(server.stdout()).not.toContain(DEMO_BANNER)
    expect(existsSync(join(dir, 'demo-credentials.json'))).toBe(false)
    await server.stop()
    expect(await accountIds(dir)).toEqual([])
  })

  it('reports invalid configuration and exits with code 2 without listening', async () => {
    const dir = tempDir()
    const server = startCli(['serve', '--port', 'eighty', '--database', join(dir, 'parley.db')], { cwd: dir })
    processes.push(server)
    expect(await server.exited).toEqual({ code: 2, signal: null })
    expect(server.stderr()).toContain('PARLEY_PORT/--port must be an integer')
    expect(server.stdout()).toBe('')
  })

  it('finishes an in-flight request on SIGTERM, closes its keep-alive connection, then exits with code 0', async () => {
    const dir = tempDir()
    const { server, httpUrl } = await serve(dir, '--log-level', 'info')
    const credentials = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials
    expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200)

    // A client that keeps idle connections open far longer than the server's shutdown grace period.
    const agent = new Agent({ keepAlive: true, timeout: 120_000 })
    try {
      // The request's headers reach the server (it answers 100 Continue) before the shutdown starts;
      // its body is sent only once the server logs that it is shutting down.
      const body = JSON.stringify({ username: 'admin', password: credentials.admin.password })
      const request = httpRequest(`${httpUrl}/api/account/demo/login?v=1.3`, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          expect: '100-continue',
        },
      })
      const response = new Promise<{ status: number | undefined; connection: string | undefined; body: string }>(
        (resolve, reject) => {
          request.once('error', reject)
          request.once('response', (res) => {
            let text = ''
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
            res.once('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body: text }))
          })
        },
      )
      await new Promise<void>((resolve) => request.once('continue', resolve))
      server.child.kill('SIGTERM')
      await server.waitForOutput(/shutting down: finishing in-flight requests/)
      request.end(body)

      const answer = await response
      expect(answer.status).toBe(200)
      expect(answer.connection).toBe('close')
      expect(JSON.parse(answer.body)).toHaveProperty('bearer')
      expect(await server.exited).toEqual({ code: 0, signal: null })
    } finally {
      agent.destroy()
    }
  })

  describe('with HTTPS', () => {
    let tlsDir: string
    beforeAll(() => {
      tlsDir = tempDir()
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          'key.pem',
          '-out',
          'cert.pem',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { cwd: tlsDir, stdio: 'ignore' },
      )
    })

    it('answers the Domain API over HTTPS on the TLS port as well as over HTTP', async () => {
      const dir = tempDir()
      const { httpUrl, httpsUrl } = await serve(
        dir,
        '--log-level',
        'warn',
        '--tls-port',
        '0',
        '--tls-cert',
        join(tlsDir, 'cert.pem'),
        '--tls-key',
        join(tlsDir, 'key.pem'),
      )
      expect(httpsUrl).toBeDefined()
      const httpsHost = new URL(httpsUrl!).host
      const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        const request = httpsRequest(`${httpsUrl}/api/account/demo/service/agentVep/baseURI.json?version=1.0`, {
          rejectUnauthorized: false,
        })
        request.once('error', reject)
        request.once('response', (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
          res.once('end', () => resolve({ status: res.statusCode, body: text }))
        })
        request.end()
      })
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({ service: 'agentVep', account: 'demo', baseURI: httpsHost })
      expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200)

      // An Engagement History client: resolve engHistDomain, log in and search, all over HTTPS.
      const demo = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials
      const { baseURI } = JSON.parse(
        (await httpsCall('GET', `${httpsUrl}/api/account/demo/service/engHistDomain/baseURI.json?version=1.0`)).body,
      ) as { baseURI: string }
      expect(baseURI).toBe(httpsHost)
      const login = await httpsCall(
        'POST',
        `https://${baseURI}/api/account/demo/login?v=1.3`,
        {},
        JSON.stringify({ username: demo.admin.loginName, password: demo.admin.password }),
      )
      const { bearer } = JSON.parse(login.body) as { bearer: string }
      const now = Date.now()
      const search = await httpsCall(
        'POST',
        `https://${baseURI}/interaction_history/api/account/demo/interactions/search?limit=5`,
        { authorization: `Bearer ${bearer}` },
        JSON.stringify({ start: { from: now - 86_400_000, to: now } }),
      )
      expect(search.status).toBe(200)
      const page = JSON.parse(search.body) as { _metadata: { count: number; self: { href: string } } }
      expect(page._metadata.count).toBe(0)
      expect(page._metadata.self.href).toBe(
        `https://${baseURI}/interaction_history/api/account/demo/interactions/search?limit=5&offset=0`,
      )
    })
  })
})
