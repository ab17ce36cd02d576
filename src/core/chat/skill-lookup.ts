import { nameKey } from '../text/name-key.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'

/**
 * The id of the account's live skill called `name`, compared by `nameKey` (case, width and
 * Unicode composition folded, as every skill name lookup compares); undefined when none.
 */
export const activeSkillIdByName = (db: Executor, accountId: string, name: string): Promise<number | undefined> =>
  skillsRepository.findActiveIdByName(db, accountId, nameKey(name))

/**
 * The live skill a request names, by name (wins) or id; -1 (unassigned) when neither names a
 * live skill.
 */
export async function resolveSkillId(
  db: Executor,
  accountId: string,
  name: string | undefined,
  id: number | undefined,
): Promise<number> {
  if (name !== undefined) return (await activeSkillIdByName(db, accountId, name)) ?? -1
  if (id !== undefined && id !== -1) {
    const skill = await skillsRepository.findById(db, accountId, id)
    return skill && !skill.deleted ? skill.id : -1
  }
  return -1
}
