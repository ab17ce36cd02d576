import { describe, expect, it } from 'vitest'
import { renderJson, renderXml } from '../../http/wire/codec.ts'
import type { Presented } from '../chat/chat-links.ts'
import {
  presentChatLocation,
  presentCollaborationChannels,
  presentIncomingRequests,
  presentTransferSkills,
} from './agent-chat-extras.presenter.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const SESSION = 'https://parley.example.com/api/account/12345678/agentSession/1027882276'
const json = (presented: Presented): string => renderJson(presented.document, presented.render)
const xml = (presented: Presented): string => renderXml(presented.document)

describe('agent chat extras presenters', () => {
  it('A8 without ringing chats: only ringingCount, a string', () => {
    const presented = presentIncomingRequests(0, `${SESSION}/incomingRequests`)
    expect(json(presented)).toBe('{"incomingRequests":{"ringingCount":"0"}}')
    expect(xml(presented)).toBe(`${XML}<incomingRequests><ringingCount>0</ringingCount></incomingRequests>`)
  })

  it('A8 with ringing chats: the accept link first, as a bare object', () => {
    const presented = presentIncomingRequests(2, `${SESSION}/incomingRequests`)
    expect(JSON.parse(json(presented))).toEqual({
      incomingRequests: { link: { '@href': `${SESSION}/incomingRequests`, '@rel': 'accept' }, ringingCount: '2' },
    })
    expect(json(presented).indexOf('link')).toBeLessThan(json(presented).indexOf('ringingCount'))
  })

  it('A9 chatLocation', () => {
    const presented = presentChatLocation(`${SESSION}/chat/abc`)
    expect(json(presented)).toBe(`{"chatLocation":{"link":{"@href":"${SESSION}/chat/abc","@rel":"location"}}}`)
    expect(xml(presented)).toBe(`${XML}<chatLocation><link href="${SESSION}/chat/abc" rel="location"/></chatLocation>`)
  })

  it('A20 skills: strings, one skill a bare object, none an empty transfer', () => {
    expect(json(presentTransferSkills([]))).toBe('{"transfer":{}}')
    expect(xml(presentTransferSkills([]))).toBe(`${XML}<transfer/>`)
    expect(json(presentTransferSkills([{ id: 25975313, name: 'Sales', onlineAgents: 1 }]))).toBe(
      '{"transfer":{"skill":{"id":"25975313","name":"Sales","onlineAgents":"1"}}}',
    )
    const two = presentTransferSkills([
      { id: 25975313, name: 'Sales', onlineAgents: 1 },
      { id: 26060413, name: 'Billing', onlineAgents: 3 },
    ])
    expect(JSON.parse(json(two))).toEqual({
      transfer: {
        skill: [
          { id: '25975313', name: 'Sales', onlineAgents: '1' },
          { id: '26060413', name: 'Billing', onlineAgents: '3' },
        ],
      },
    })
  })

  it('A24 collaborationChannels links only to itself', () => {
    const presented = presentCollaborationChannels(`${SESSION}/chat/abc/collaborationChannels`)
    expect(json(presented)).toBe(
      `{"collaborationChannels":{"link":{"@href":"${SESSION}/chat/abc/collaborationChannels","@rel":"self"}}}`,
    )
  })
})
