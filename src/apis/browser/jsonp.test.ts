import { describe, expect, it } from 'vitest'
import { isCallbackName, MAX_CALLBACK_LENGTH, renderJsonp, requireCallbackName } from './jsonp.ts'

describe('JSONP callback names', () => {
  it('accepts plain identifiers up to the length limit', () => {
    for (const name of ['lpCb1', '_', '$', 'jQuery1124_1733460000000', 'a$b_c9', 'x'.repeat(MAX_CALLBACK_LENGTH)]) {
      expect(isCallbackName(name), name).toBe(true)
    }
  })

  it('rejects everything else', () => {
    for (const name of [
      '',
      '1a',
      'a.b',
      'a[0]',
      'alert(1)//',
      'a b',
      'café',
      'x'.repeat(MAX_CALLBACK_LENGTH + 1),
      'if',
      'delete',
      'this',
      undefined,
      42,
      ['lpCb1'],
    ]) {
      expect(isCallbackName(name), String(name)).toBe(false)
    }
    expect(() => requireCallbackName('a.b')).toThrow(/querystring\.cb/)
  })

  it('renders name(<json>);', () => {
    expect(renderJsonp('cb', { a: '</script>' })).toBe('cb({"a":"</script>"});')
  })
})
