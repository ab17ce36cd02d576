import closeWithGrace from 'close-with-grace'
import type { Config } from '../config/config.ts'
import { startServer } from '../server.ts'
import { seedDemoIfEmpty } from './demo.ts'
import { out } from './output.ts'

/** `parley serve`: starts the server, seeds the demo account on an empty database, closes gracefully on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  let demoText: string | undefined
  const server = await startServer(config, {
    beforeListen: async (services) => {
      if (config.demo) demoText = await seedDemoIfEmpty(services, config)
    },
  })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error')
    else server.app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    await server.close()
  })
  out(`Parley is listening on ${server.httpUrl}${server.httpsUrl ? ` and ${server.httpsUrl}` : ''}`)
  if (demoText) out(demoText.replaceAll('{{BASE}}', server.httpUrl))
}
