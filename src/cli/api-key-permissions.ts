import {
  ALL_API_KEY_PERMISSIONS,
  DEFAULT_API_KEY_PERMISSIONS,
  type ApiKeyPermission,
} from '../core/accounts/accounts.types.ts'
import { UsageError } from './usage-error.ts'

/**
 * `--permissions engagementHistory,configRead`: the named permissions (comma-separated, each once), or
 * the defaults when the option is absent. An unknown name is a usage error listing the valid ones.
 */
export function parseApiKeyPermissions(raw: string | undefined): ApiKeyPermission[] {
  if (raw === undefined) return [...DEFAULT_API_KEY_PERMISSIONS]
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0) throw new UsageError('--permissions needs at least one permission')
  const permissions: ApiKeyPermission[] = []
  for (const name of names) {
    const permission = ALL_API_KEY_PERMISSIONS.find((candidate) => candidate.toLowerCase() === name.toLowerCase())
    if (!permission) throw new UsageError(`unknown permission "${name}" (valid: ${ALL_API_KEY_PERMISSIONS.join(', ')})`)
    if (!permissions.includes(permission)) permissions.push(permission)
  }
  return permissions
}
