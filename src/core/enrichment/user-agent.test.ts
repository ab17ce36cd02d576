import { describe, expect, it } from 'vitest'
import { userAgentInfo } from './user-agent.ts'

// Real user-agent strings as browsers send them.
const CASES: ReadonlyArray<readonly [string, string, ReturnType<typeof userAgentInfo>]> = [
  [
    'Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { device: 'DESKTOP', browser: 'Chrome 120.0.0.0', browserType: 'CHROME', operatingSystem: 'WINDOWS' },
  ],
  [
    'Chrome on macOS (the spec example)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.87 Safari/537.36',
    { device: 'DESKTOP', browser: 'Chrome 49.0.2623.87', browserType: 'CHROME', operatingSystem: 'MAC_OSX' },
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1',
    { device: 'MOBILE', browser: 'Safari 17.1.2', browserType: 'SAFARI', operatingSystem: 'IOS' },
  ],
  [
    'Safari on iPad',
    'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    { device: 'TABLET', browser: 'Safari 17.1', browserType: 'SAFARI', operatingSystem: 'IOS' },
  ],
  [
    'Chrome on iPhone (CriOS)',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
    { device: 'MOBILE', browser: 'Chrome 120.0.6099.119', browserType: 'CHROME', operatingSystem: 'IOS' },
  ],
  [
    'Chrome on an Android phone',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
    { device: 'MOBILE', browser: 'Chrome 120.0.6099.144', browserType: 'CHROME', operatingSystem: 'ANDROID' },
  ],
  [
    'Chrome on an Android tablet',
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { device: 'TABLET', browser: 'Chrome 120.0.0.0', browserType: 'CHROME', operatingSystem: 'ANDROID' },
  ],
  [
    'Firefox on Linux',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { device: 'DESKTOP', browser: 'Firefox 121.0', browserType: 'FIREFOX', operatingSystem: 'LINUX' },
  ],
  [
    'Firefox on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0',
    { device: 'DESKTOP', browser: 'Firefox 115.0', browserType: 'FIREFOX', operatingSystem: 'WINDOWS' },
  ],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    { device: 'DESKTOP', browser: 'Edge 120.0.2210.91', browserType: 'EDGE', operatingSystem: 'WINDOWS' },
  ],
  [
    'Opera on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0',
    { device: 'DESKTOP', browser: 'Opera 106.0.0.0', browserType: 'OPERA', operatingSystem: 'WINDOWS' },
  ],
  [
    'Internet Explorer 11',
    'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko',
    { device: 'DESKTOP', browser: 'IE 11.0', browserType: 'IE', operatingSystem: 'WINDOWS' },
  ],
  [
    'Samsung Internet on a Galaxy phone',
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
    { device: 'MOBILE', browser: 'Samsung Internet 23.0', browserType: 'SAMSUNG', operatingSystem: 'ANDROID' },
  ],
  [
    'Chrome on Chrome OS',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { device: 'DESKTOP', browser: 'Chrome 120.0.0.0', browserType: 'CHROME', operatingSystem: 'LINUX' },
  ],
  [
    'Googlebot',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { device: 'NA', browser: '', browserType: '', operatingSystem: 'NA' },
  ],
  ['curl', 'curl/8.4.0', { device: 'NA', browser: '', browserType: '', operatingSystem: 'NA' }],
  ['an empty header', '', { device: 'NA', browser: '', browserType: '', operatingSystem: 'NA' }],
  ['whitespace', '   ', { device: 'NA', browser: '', browserType: '', operatingSystem: 'NA' }],
]

describe('userAgentInfo', () => {
  it.each(CASES)('%s', (_name, userAgent, expected) => {
    expect(userAgentInfo(userAgent)).toEqual(expected)
  })

  it('only ever answers the enum values of engagement-history.md §5.6', () => {
    for (const [, userAgent] of CASES) {
      const info = userAgentInfo(userAgent)
      expect(['DESKTOP', 'TABLET', 'MOBILE', 'NA']).toContain(info.device)
      expect(['NA', 'WINDOWS', 'MAC_OSX', 'LINUX', 'IOS', 'ANDROID']).toContain(info.operatingSystem)
    }
  })

  it('survives hostile input', () => {
    expect(userAgentInfo('Mozilla/5.0 ' + '('.repeat(10_000))).toMatchObject({ browserType: expect.any(String) })
    expect(userAgentInfo('\u0000\uffff<script>')).toEqual({
      device: 'NA',
      browser: '',
      browserType: '',
      operatingSystem: 'NA',
    })
  })
})
