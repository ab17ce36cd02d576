import { expect, it } from 'vitest'
import { describeEachDialect } from '../support/dialects.ts'
import { liveVisitor, useVisitorChatApp } from './visitor-chat-app.ts'

describeEachDialect('V3 estimatedWaitTime from recent accepts (chat-api.md §5)', (dialect) => {
  const ctx = useVisitorChatApp(dialect)

  it('answers the mean request-to-accept time of the skill once five chats were accepted while agents are full', async () => {
    const { live, visitor } = await liveVisitor(ctx, [{ nickname: 'Natalie', skills: ['Sales'], maxChats: 1 }])
    const natalie = live.agents[0]!.userId
    const waitTime = async (): Promise<unknown> =>
      (await visitor.call('GET', '/chat/estimatedWaitTime.json?v=1&skill=Sales')).json()
    for (let i = 1; i <= 5; i++) {
      const key = await visitor.requestChat()
      expect(await waitTime()).toEqual({ estimatedWaitTime: -2 })
      ctx.clock.advance(i * 1000)
      await ctx.chat.acceptChat(live.accountId, natalie)
      if (i < 5) await ctx.chat.endByAgent(live.accountId, natalie, key)
    }
    // Natalie holds her only slot; accepts took 1, 2, 3, 4 and 5 s.
    expect(await waitTime()).toEqual({ estimatedWaitTime: 3 })
    expect((await visitor.call('GET', '/chat/estimatedWaitTime.xml?v=1&skill=Sales')).body).toContain(
      '<estimatedWaitTime>3</estimatedWaitTime>',
    )
  })
})
