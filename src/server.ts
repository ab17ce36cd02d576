import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createServices, type Services } from './compose.ts'
import type { Config } from './config/config.ts'
import { ArchiveSetAsideError } from './core/chat/chat-archiver.ts'
import { systemClock } from './core/clock.ts'
import { createMmdbGeoIpSource } from './core/enrichment/mmdb-geo-ip.ts'
import type { MailDeliveryEvent } from './core/mail/mail-queue.ts'
import { buildApp } from './http/app.ts'
import type { ParleyApp } from './http/parley-app.ts'
import { trackConnections } from './http/connection-drain.ts'
import { createStorage, migrateToLatest, type Storage } from './storage/db.ts'
import type { LiveBus } from './core/ports/live-bus.ts'
import { createLiveBus } from './storage/bus/create-bus.ts'
import { acquireServerLock, type ServerLock } from './storage/server-lock.ts'
import { soleLeadership, type Leadership } from './core/ports/leadership.ts'
import { startLeaseLeadership } from './storage/lease-leadership.ts'

/**
 * A started server: its app, bound addresses, and a graceful `close()` that answers held long
 * polls, finishes in-flight requests, then stops background work and closes storage. Call
 * `close()`, not `app.close()`: the latter leaves storage open.
 */
export interface RunningServer {
  app: ParleyApp
  services: Services
  storage: Storage
  httpUrl: string
  httpsUrl: string | undefined
  close(): Promise<void>
}

export interface StartOptions {
  /** Runs after migrations, before listening (the CLI seeds the demo account here). */
  beforeListen?: (services: Services, storage: Storage) => Promise<void>
  logStream?: NodeJS.WritableStream
  /**
   * Set in each worker of `parley serve --workers N` (cli/cluster.ts): the primary holds the SQLite
   * server lock for the whole cluster and relays `bus` between the workers.
   */
  clusterWorker?: { bus?: LiveBus }
}

/** createStorage → migrate → createServices → buildApp → listen on HTTP (and HTTPS when configured). */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const storage = createStorage(config.database)
  let lock: ServerLock | undefined
  let bus: LiveBus | undefined
  let leadership: Leadership = soleLeadership
  // What has started so far, stopped again when a later step fails (a port in use, a bad
  // certificate): chat timers or a half-open listener would otherwise keep the process alive.
  let started: { services?: Services; app?: ParleyApp } = {}
  try {
    if (config.migrateOnBoot) await migrateToLatest(storage)
    // Background failures are logged through the app's logger once it exists.
    const logger: { current?: ParleyApp['log'] } = {}
    // One server per SQLite file: live chats are held in one process (storage/server-lock.ts), or
    // in the workers of one `serve --workers N`, whose primary holds the lock.
    const sqliteFile = config.database.kind === 'sqlite' && config.database.path !== ':memory:'
    if (sqliteFile && !options.clusterWorker)
      lock = await acquireServerLock(storage.db, {
        label: config.database.path,
        onLost: () =>
          logger.current?.error({}, 'another server took over this database; stop one of them (one server per file)'),
      })
    // Background tasks run in one process (docs/deployment.md): the holder of a lease row when
    // several processes may share the database (PostgreSQL, or the workers of a cluster).
    if (config.database.kind === 'postgres' || options.clusterWorker)
      leadership = await startLeaseLeadership({
        db: storage.db,
        dialect: storage.ops.name,
        onChange: (leading) =>
          logger.current?.info(
            leading ? 'leading background tasks (chat timers, sweeps, mail)' : 'no longer leading background tasks',
          ),
        onError: (error) => logger.current?.warn({ err: error }, 'leadership lease: database unreachable; retrying'),
      })
    const geoIp = createMmdbGeoIpSource(config.geoIp, {
      onError: (error, path) =>
        logger.current?.error({ err: error, path }, 'geo-IP database unreadable; visitor geo fields stay empty'),
    })
    // --- live bus (issue 14): PostgreSQL LISTEN/NOTIFY shared by every process; SQLite in-process ---
    // A worker of `serve --workers N` on SQLite gets the cluster relay from the primary.
    bus =
      options.clusterWorker?.bus ??
      (await createLiveBus(config.database, {
        onError: (error, task) => logger.current?.warn({ err: error, task }, 'live bus: caches flush when it is back'),
      }))
    // --- end live bus ---
    const services = createServices({
      storage,
      config,
      geoIp,
      bus,
      leadership,
      onBackgroundError: (error, task) =>
        error instanceof ArchiveSetAsideError
          ? logger.current?.error(
              {
                task,
                engagementId: error.failure.engagementId,
                chatKey: error.failure.chatKey,
                error: error.failure.lastError,
              },
              'engagement could not be archived and was set aside; see "parley archive failures"',
            )
          : logger.current?.error({ err: error, task }, 'background task failed; it will be retried'),
      onMailEvent: (event) => {
        if (logger.current) logMailEvent(logger.current, event)
      },
    })
    started = { services }
    if (options.beforeListen) await options.beforeListen(services, storage)
    // Agent sessions that went idle while the server was down end (their chats requeued) before
    // the first routing pass, so no chat rings an agent who is gone (docs/agent-sessions.md).
    await services.agents.sweep()
    // Archives engagements a crash left unarchived and arms the chat timers (docs/live-chat.md).
    await services.chat.start()
    let httpsServer: HttpsServer | undefined
    const app = await buildApp({
      config,
      services,
      clock: systemClock,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
        // The same application answers on both listeners, so clients that hard-code https:// work.
        if (config.tls) httpsServer = createHttpsServer({ cert: config.tls.cert, key: config.tls.key }, handler)
        const server: Server = createHttpServer(handler)
        server.keepAliveTimeout = 65_000
        return server
      },
    })
    logger.current = app.log
    started = { services, app }
    // Delivers queued mail, including messages left pending by the previous process (docs/transcripts.md);
    // started once the logger exists, so a failing SMTP server is reported.
    services.mail.start()
    // Reads the geo-IP databases (the bundled one is ~130 MB) now rather than when the first chat ends.
    void geoIp.open()
    // Node closes only the connections that are idle when close() starts; a keep-alive connection whose
    // request is still in flight would hold the shutdown open until the client drops it, so once
    // closing has begun every response asks the client to close (test/server/serve.test.ts).
    let closing = false
    let httpsClosed: Promise<void> = Promise.resolve()
    const drain = trackConnections([
      { server: app.server, tls: false },
      httpsServer && { server: httpsServer, tls: true },
    ])
    app.addHook('preClose', async () => {
      closing = true
      // Held long polls (D10) answer now, while the database is still open, and polls that arrive
      // from here on answer at once; the listeners then drain every in-flight request before
      // storage closes in `close()` below.
      await services.chat.close()
      // Closing a listener resets every connection whose request has not started yet (connection-drain.ts):
      // under a burst of polls (PostgreSQL, issue 11) those were polls the client had sent.
      await drain.untilRequestsStarted(DRAIN_PENDING_MS)
      const https = httpsServer
      if (https?.listening) {
        httpsClosed = new Promise<void>((resolve) => https.close(() => resolve()))
        https.closeIdleConnections()
      }
      // Spare sockets that never carried a request would hold close() open (connection-drain.ts).
      drain.destroyPending()
    })
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close')
    })
    await app.listen({ port: config.port, host: config.host })
    let httpsUrl: string | undefined
    if (httpsServer && config.tls) {
      const server = httpsServer
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.tls!.port, config.host, () => resolve())
      })
      httpsUrl = `https://${hostForUrl(config.host)}:${(server.address() as AddressInfo).port}`
      app.log.info(`HTTPS listening at ${httpsUrl}`)
    }
    const address = app.server.address() as AddressInfo
    return {
      app,
      services,
      storage,
      httpUrl: `http://${hostForUrl(config.host)}:${address.port}`,
      httpsUrl,
      close: once(async () => {
        await app.close()
        await httpsClosed
        await services.close()
        await leadership.close()
        await bus?.close()
        await lock?.release()
        await storage.close()
      }),
    }
  } catch (error) {
    await started.app?.close().catch(() => undefined)
    await started.services?.close().catch(() => undefined)
    await leadership.close().catch(() => undefined)
    await bus?.close().catch(() => undefined)
    await lock?.release().catch(() => undefined)
    await storage.close()
    throw error
  }
}

/** How long shutdown waits for accepted connections to send their request (well under close-with-grace's 10 s). */
const DRAIN_PENDING_MS = 3_000

/**
 * Mail delivery in the log: one warning when delivery starts failing and one when it recovers (not a
 * stack per attempt); each failed attempt, with its error, at debug level.
 */
function logMailEvent(log: ParleyApp['log'], event: MailDeliveryEvent): void {
  switch (event.kind) {
    case 'failing':
      log.warn(`mail delivery is failing: ${event.reason} (${event.transport}); messages stay queued and are retried`)
      break
    case 'recovered':
      log.warn(
        `mail delivery recovered: ${event.transport} accepts mail again (after ${event.failedAttempts} failed attempt(s))`,
      )
      break
    case 'given-up':
      log.warn(
        `mail ${event.mailId} (${event.mailKind}) given up after ${event.attempts} attempts: ${event.reason}; see "parley mail list --status failed"`,
      )
      break
    case 'attempt-failed':
      log.debug(
        { err: event.error, mailId: event.mailId },
        `mail ${event.mailId} attempt ${event.attempt} failed: ${event.reason}`,
      )
      break
  }
}

/** Wraps `run` so that every call shares the first call's promise. */
function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  return () => (running ??= run())
}

const hostForUrl = (host: string): string =>
  host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
