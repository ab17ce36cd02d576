import addressparser from 'nodemailer/lib/addressparser'

// The WHATWG "valid e-mail address" grammar (what <input type=email> accepts), with a dot required
// in the domain: ASCII only (IDNs in punycode), no quoted local parts, no comments, no display name.
const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/**
 * The address if `raw` is exactly one plain mailbox (`local@domain.tld`, at most 254 characters),
 * else undefined. Nodemailer's own parser must read the same single address back, so what is
 * validated here is exactly what the transport sends to: no second recipient, group or header
 * smuggled in through commas, angle brackets, quotes or line breaks.
 */
export function parseEmailAddress(raw: string): string | undefined {
  const value = raw.trim()
  if (value.length === 0 || value.length > 254) return undefined
  const at = value.lastIndexOf('@')
  if (at <= 0) return undefined
  const local = value.slice(0, at)
  const domain = value.slice(at + 1)
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return undefined
  const labels = domain.split('.')
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined
  const parsed = addressparser(value, { flatten: true })
  if (parsed.length !== 1 || parsed[0]!.address !== value || parsed[0]!.name !== '') return undefined
  return value
}
