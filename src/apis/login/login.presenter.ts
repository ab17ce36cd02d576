import type { LoginResult } from '../../core/accounts/login.service.ts'
import { isAdmin } from '../../core/accounts/login.service.ts'
import { zoneOffsetMs } from '../../core/time.ts'
import { presentAllBaseUris } from '../csds/csds.presenter.ts'

const ADMIN_PRIVILEGES = [100, 101, 1730, 1731, 1732, 1733, 1734, 1735]
const USER_PRIVILEGES = [100, 101]

/** The Login Service document, field names and types exactly as LivePerson documents them. */
export function presentLogin(result: LoginResult, baseURI: string) {
  const serverTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const serverOffset = zoneOffsetMs(result.serverTime, serverTimeZone)
  const admin = isAdmin(result.user.permissionGroups)
  return {
    csrf: result.csrf,
    wsuk: result.wsuk,
    config: {
      loginName: result.user.loginName,
      userId: String(result.user.id),
      userPrivileges: admin ? ADMIN_PRIVILEGES : USER_PRIVILEGES,
      serverCurrentTime: result.serverTime,
      timeDiff: zoneOffsetMs(result.serverTime, result.account.timeZone) - serverOffset,
      serverTimeZoneName: serverTimeZone,
      serverTimeGMTDiff: serverOffset,
      isLPA: false,
      isAdmin: admin,
      accountTimeZoneId: result.account.timeZone,
    },
    csdsCollectionResponse: presentAllBaseUris(result.account.id, baseURI),
    accountData: {
      agentGroupsData: {
        items: result.agentGroups.map((group) => ({ id: group.id, deleted: group.deleted, name: group.name })),
        revision: result.account.revision,
      },
    },
    sessionTTl: String(result.sessionTtlMs),
    sessionId: result.sessionKey,
    bearer: result.bearer,
  }
}
