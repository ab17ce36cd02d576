import type { VisitorInfo } from '../history/record.types.ts'

interface BrowserRule {
  pattern: RegExp
  name: string
  type: string
}

// Order matters: Edge and Opera carry "Chrome" in their user agents, Chrome carries "Safari".
const BROWSERS: readonly BrowserRule[] = [
  { pattern: /Edg(?:e|A|iOS)?\/([\d.]+)/, name: 'Edge', type: 'EDGE' },
  { pattern: /OPR\/([\d.]+)/, name: 'Opera', type: 'OPERA' },
  { pattern: /(?:Chrome|CriOS)\/([\d.]+)/, name: 'Chrome', type: 'CHROME' },
  { pattern: /(?:Firefox|FxiOS)\/([\d.]+)/, name: 'Firefox', type: 'FIREFOX' },
  { pattern: /Version\/([\d.]+).*Safari\//, name: 'Safari', type: 'SAFARI' },
  { pattern: /(?:MSIE |Trident\/.*rv:)([\d.]+)/, name: 'Internet Explorer', type: 'IE' },
]

function operatingSystem(userAgent: string): string {
  if (/Android/.test(userAgent)) return 'ANDROID'
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'IOS'
  if (/Windows/.test(userAgent)) return 'WINDOWS'
  if (/Mac OS X|Macintosh/.test(userAgent)) return 'MAC_OSX'
  if (/Linux|X11/.test(userAgent)) return 'LINUX'
  return 'NA'
}

function device(userAgent: string): string {
  if (userAgent === '') return 'NA'
  if (/iPad|Tablet/.test(userAgent) || (/Android/.test(userAgent) && !/Mobile/.test(userAgent))) return 'TABLET'
  if (/Mobile|iPhone|iPod/.test(userAgent)) return 'MOBILE'
  return 'DESKTOP'
}

/**
 * Engagement History `visitorInfo` (engagement-history.md §5.6) from the chat request's IP and
 * user agent. Geo fields stay empty: Parley ships no GeoIP database.
 */
export function visitorInfoOf(ipAddress: string, userAgent: string): VisitorInfo {
  const rule = BROWSERS.find((candidate) => candidate.pattern.test(userAgent))
  const version = rule ? (rule.pattern.exec(userAgent)?.[1] ?? '') : ''
  return {
    country: '',
    countryCode: '',
    state: '',
    city: '',
    isp: '',
    org: '',
    device: device(userAgent),
    ipAddress,
    browser: rule ? `${rule.name} ${version}` : '',
    operatingSystem: operatingSystem(userAgent),
    browserType: rule ? rule.type : '',
  }
}
