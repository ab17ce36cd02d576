import type { ConfigEntity } from './account-config.types.ts'
import type { AccountScope, EntityService } from './entity-service.ts'

/**
 * The entity service with `onChange(accountId)` run after every committed write (create,
 * createMany, update, remove) and before the write's result is returned. compose.ts uses it to
 * let the chat engine requeue waiting chats a change of skills or users left with no possible
 * agent (docs/live-chat.md, "Configuration changes"). The write is committed whatever `onChange`
 * does; it must report its own failures.
 */
export function afterWrites<T extends ConfigEntity, I, S extends AccountScope>(
  service: EntityService<T, I, S>,
  onChange: (accountId: string) => Promise<void>,
): EntityService<T, I, S> {
  return {
    ...service,
    create: async (caller, scope, input) => {
      const result = await service.create(caller, scope, input)
      await onChange(scope.accountId)
      return result
    },
    createMany: async (caller, scope, inputs) => {
      const result = await service.createMany(caller, scope, inputs)
      await onChange(scope.accountId)
      return result
    },
    update: async (caller, scope, id, input, options) => {
      const result = await service.update(caller, scope, id, input, options)
      await onChange(scope.accountId)
      return result
    },
    remove: async (caller, scope, id, options) => {
      const result = await service.remove(caller, scope, id, options)
      await onChange(scope.accountId)
      return result
    },
  }
}
