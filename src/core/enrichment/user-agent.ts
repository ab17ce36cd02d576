import UAParser from 'ua-parser-js'
import type { VisitorInfo } from '../history/record.types.ts'

/** The user-agent half of Engagement History `visitorInfo` (engagement-history.md §5.6). */
export type UserAgentInfo = Pick<VisitorInfo, 'device' | 'browser' | 'browserType' | 'operatingSystem'>

// ua-parser-js browser names (1.x) grouped into LivePerson's browserType values.
const BROWSER_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:Edge|Edge WebView2)$/, 'EDGE'],
  [/^(?:IE|IEMobile)$/, 'IE'],
  [/^Opera/, 'OPERA'],
  [/^(?:Chrome|Chromium|Chrome Headless|Chrome WebView|Mobile Chrome)$/, 'CHROME'],
  [/Firefox/, 'FIREFOX'],
  [/^(?:Safari|Mobile Safari)$/, 'SAFARI'],
]

// ua-parser-js OS names (1.x) that are Linux distributions (Chrome OS included: it is Linux underneath).
const LINUX_NAMES =
  /^(?:Linux|Ubuntu|Debian|Fedora|Mint|Arch|CentOS|Red Hat|RedHat|SUSE|openSUSE|Gentoo|Kubuntu|Slackware|Mandriva|Mageia|Manjaro|Deepin|elementary OS|Zenwalk|PCLinuxOS|Linpus|Knoppix|Xubuntu|Lubuntu|Raspbian|Chromium OS|Chrome OS|Sabayon|VectorLinux|Joli)$/

function operatingSystemOf(name: string | undefined): string {
  if (name === undefined) return 'NA'
  if (/^Windows/.test(name)) return 'WINDOWS'
  if (/^(?:Mac OS|macOS)$/.test(name)) return 'MAC_OSX'
  if (/^(?:iOS|iPadOS)$/.test(name)) return 'IOS'
  if (/^Android/.test(name)) return 'ANDROID'
  if (LINUX_NAMES.test(name)) return 'LINUX'
  return 'NA'
}

/**
 * Maps a `User-Agent` header onto LivePerson's visitorInfo values with ua-parser-js:
 * `device` DESKTOP/TABLET/MOBILE/NA, `browser` "name version" (`Chrome 120.0.6099.144`, the
 * parser's "Mobile " prefix dropped: `device` says so), `browserType` (CHROME, FIREFOX, SAFARI,
 * IE, EDGE, OPERA; any other recognised browser: the first word of its name, `SAMSUNG`; "" when
 * none is recognised), `operatingSystem` NA/WINDOWS/MAC_OSX/LINUX/IOS/ANDROID. Bots, tools and
 * empty strings give NA/"" (docs/visitor-info.md).
 */
export function userAgentInfo(userAgent: string): UserAgentInfo {
  const header = userAgent.trim()
  if (header === '') return { device: 'NA', browser: '', browserType: '', operatingSystem: 'NA' }
  const result = new UAParser(header).getResult()
  const name = result.browser.name?.replace(/^Mobile /, '')
  const browser = name === undefined ? '' : [name, result.browser.version].filter(Boolean).join(' ')
  const browserType = name === undefined ? '' : browserTypeOf(name)
  const operatingSystem = operatingSystemOf(result.os.name)
  return { device: deviceOf(result.device.type, name, operatingSystem), browser, browserType, operatingSystem }
}

function browserTypeOf(name: string): string {
  const known = BROWSER_TYPES.find(([pattern]) => pattern.test(name))?.[1]
  return known ?? (/^[\p{L}\p{N}]+/u.exec(name)?.[0] ?? 'OTHER').toUpperCase()
}

function deviceOf(type: string | undefined, browserName: string | undefined, operatingSystem: string): string {
  if (type === 'mobile' || type === 'wearable') return 'MOBILE'
  if (type === 'tablet') return 'TABLET'
  // ua-parser-js names no device type for desktops: a recognised browser or OS without one is a desktop.
  if (type === undefined && (browserName !== undefined || operatingSystem !== 'NA')) return 'DESKTOP'
  return 'NA'
}
