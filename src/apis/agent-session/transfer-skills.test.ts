import { describe, expect, it } from 'vitest'
import type { RoutableAgent } from '../../core/chat/agent-directory.ts'
import { transferSkills } from './transfer-skills.ts'

const agent = (userId: number, skillIds: number[], availability: RoutableAgent['availability']): RoutableAgent => ({
  userId,
  loginName: `u${userId}`,
  nickname: `U${userId}`,
  fullName: `User ${userId}`,
  skillIds,
  maxChats: 4,
  memberGroupId: null,
  availability,
  idleSince: 0,
})

const skills = [
  { id: 10, name: 'Sales' },
  { id: 20, name: 'Billing' },
  { id: 30, name: 'Support' },
  { id: 40, name: 'Old', deleted: true },
]

describe('transferSkills (A20)', () => {
  it('lists skills with an Online agent other than the current one, with their count, in the given order', () => {
    const agents = [
      agent(1, [10, 20], 'Online'),
      agent(2, [20], 'Online'),
      agent(3, [30], 'Away'),
      agent(4, [30], 'Occupied'),
      agent(5, [40], 'Online'),
    ]
    expect(transferSkills(skills, agents, 1)).toEqual([{ id: 20, name: 'Billing', onlineAgents: 1 }])
    expect(transferSkills(skills, agents, null)).toEqual([
      { id: 10, name: 'Sales', onlineAgents: 1 },
      { id: 20, name: 'Billing', onlineAgents: 2 },
    ])
  })

  it('never lists the unassigned skill or deleted skills, and is empty without online agents', () => {
    expect(transferSkills([{ id: -1, name: 'Unassigned' }, ...skills], [agent(9, [-1, 40], 'Online')], null)).toEqual(
      [],
    )
    expect(transferSkills(skills, [], 1)).toEqual([])
  })
})
