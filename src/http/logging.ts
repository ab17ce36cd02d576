import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config/config.ts'

// `lpB` is a js2rest inner call: it carries the appKey and line text (docs/browser-transports.md).
const SECRET_QUERY_PARAMS = /^(appkey|oauth_.*|csrf|bearer|access_?token|password|secret|lpb)$/i

/** Removes credential-bearing query parameters (`appKey`, `oauth_*`, ...) from a URL before it is logged. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?')
  if (queryStart === -1) return url
  const params = new URLSearchParams(url.slice(queryStart).replace(/^\?+/, ''))
  for (const name of [...params.keys()]) {
    if (SECRET_QUERY_PARAMS.test(name)) params.set(name, '[redacted]')
  }
  const query = params.toString()
  return query === '' ? url.slice(0, queryStart) : `${url.slice(0, queryStart)}?${query}`
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Honours a well-formed `x-request-id`, else makes a UUID; ids are echoed on every response. */
export function requestIdOf(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id']
  const value = Array.isArray(header) ? header[0] : header
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID()
}

/**
 * pino options: JSON lines (pretty only on a TTY), level from config, secrets redacted.
 * Line text, survey answers, passwords and tokens never appear: bodies are not logged at all.
 */
export function loggerOptions(config: Config, stdoutIsTty: boolean): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stdoutIsTty && config.logLevel !== 'silent'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.adminPassword',
        '*.secret',
        '*.accessToken',
        '*.accessTokenSecret',
        '*.bearer',
        '*.csrf',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        hostname: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  }
}
