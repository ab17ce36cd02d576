import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/config.ts'

const cwd = '/srv/parley'

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('mail configuration (docs/transcripts.md)', () => {
  it('writes to <data dir>/outbox from Parley <no-reply@localhost> by default', () => {
    const config = loadConfig({}, {}, cwd)
    expect(config.smtpUrl).toBeUndefined()
    expect(config.mailFrom).toBe('Parley <no-reply@localhost>')
    expect(config.mailOutboxDir).toBe('/srv/parley/data/outbox')
    expect(loadConfig({}, { database: '/var/lib/parley/db.sqlite' }, cwd).mailOutboxDir).toBe('/var/lib/parley/outbox')
  })

  it('reads PARLEY_SMTP_URL, PARLEY_MAIL_FROM and PARLEY_MAIL_OUTBOX_DIR', () => {
    const config = loadConfig(
      {
        PARLEY_SMTP_URL: 'smtps://user:secret@mail.example.com:465',
        PARLEY_MAIL_FROM: 'Support <support@example.com>',
        PARLEY_MAIL_OUTBOX_DIR: 'mail',
      },
      {},
      cwd,
    )
    expect(config.smtpUrl).toBe('smtps://user:secret@mail.example.com:465')
    expect(config.mailFrom).toBe('Support <support@example.com>')
    expect(config.mailOutboxDir).toBe('/srv/parley/mail')
  })

  it('rejects a non-SMTP URL without repeating it (it may hold a password)', () => {
    for (const url of ['http://user:hunter2@mail.example.com', 'hunter2', 'smtp://']) {
      const problems = problemsOf(() => loadConfig({ PARLEY_SMTP_URL: url }, {}, cwd))
      expect(problems).toEqual([expect.stringContaining('PARLEY_SMTP_URL')])
      expect(problems.join()).not.toContain('hunter2')
    }
  })

  it('rejects a From that is not exactly one address', () => {
    for (const from of ['nobody', 'a@example.com, b@example.com', 'A <a@example.com>\r\nBcc: b@example.com']) {
      expect(
        problemsOf(() => loadConfig({ PARLEY_MAIL_FROM: from }, {}, cwd)),
        from,
      ).toEqual([expect.stringContaining('PARLEY_MAIL_FROM')])
    }
  })
})
