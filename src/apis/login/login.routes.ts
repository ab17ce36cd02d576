import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { LoginCredentials, SessionLookup } from '../../core/accounts/login.service.ts'
import { invalid } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { publicHost } from '../../http/client-url.ts'
import { presentLogin } from './login.presenter.ts'
import { AccountParams, CsrfBody, LoginBody } from './login.schemas.ts'

const SESSION_COOKIE = 'Session_id'

const isHttps = (request: FastifyRequest): boolean => request.protocol === 'https'

type LoginBodyValue = {
  username: string
  password?: string | undefined
  appKey?: string | undefined
  secret?: string | undefined
  accessToken?: string | undefined
  accessTokenSecret?: string | undefined
}

function credentialsFrom(body: LoginBodyValue): LoginCredentials {
  if (body.password !== undefined) return { kind: 'password', username: body.username, password: body.password }
  const { appKey, secret, accessToken, accessTokenSecret } = body
  if (appKey !== undefined && secret !== undefined && accessToken !== undefined && accessTokenSecret !== undefined) {
    return { kind: 'apiKey', username: body.username, appKey, secret, accessToken, accessTokenSecret }
  }
  throw invalid('body', 'either password or appKey, secret, accessToken and accessTokenSecret are required')
}

function sessionLookup(request: FastifyRequest, csrf: string): SessionLookup {
  const authorization = request.headers.authorization ?? ''
  return {
    sessionKey: request.cookies[SESSION_COOKIE],
    bearer: /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : undefined,
    csrf,
  }
}

/** Login Service: login (user or application), refresh, logout. Unknown accounts answer 401 like bad credentials. */
export function registerLoginRoutes(app: ParleyApp, deps: { config: Config }): void {
  const routeConfig = { requireAccount: false, errorTimeStyle: 'login' } as const

  app.post(
    '/api/account/:accountId/login',
    { schema: { params: AccountParams, body: LoginBody }, config: routeConfig },
    async (request, reply) => {
      const result = await app.services.login.login(request.params.accountId, credentialsFrom(request.body), request.ip)
      reply.setCookie(SESSION_COOKIE, result.sessionKey, {
        path: '/',
        httpOnly: true,
        secure: isHttps(request),
        sameSite: 'lax',
      })
      return presentLogin(result, publicHost(request, deps.config))
    },
  )

  app.post(
    '/api/account/:accountId/refresh',
    { schema: { params: AccountParams, body: CsrfBody }, config: routeConfig },
    async (request, reply) => {
      await app.services.login.refresh(request.params.accountId, sessionLookup(request, request.body.csrf))
      return reply.code(200).send()
    },
  )

  app.post(
    '/api/account/:accountId/logout',
    { schema: { params: AccountParams, body: CsrfBody }, config: routeConfig },
    async (request, reply) => {
      await app.services.login.logout(request.params.accountId, sessionLookup(request, request.body.csrf))
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(200).send()
    },
  )
}
