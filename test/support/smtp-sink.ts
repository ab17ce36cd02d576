import { createServer, type AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A message the test SMTP server accepted: envelope, raw source and the parsed message. */
export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  parsed: ParsedMail
}

/** A real SMTP server on 127.0.0.1 (plain, AUTH PLAIN/LOGIN required) that keeps what it receives. */
export interface SmtpSink {
  port: number
  user: string
  password: string
  /** `smtp://user:password@127.0.0.1:port` with the password percent-encoded. */
  url: string
  received: ReceivedMail[]
  close(): Promise<void>
}

/** Starts the sink on `port` (0 = any free port). */
export async function startSmtpSink(
  port = 0,
  credentials = { user: 'parley', password: 'p@ss/w:rd' },
): Promise<SmtpSink> {
  const received: ReceivedMail[] = []
  const pending: Array<Promise<void>> = []
  const server = new SMTPServer({
    secure: false,
    // No TLS in tests: nodemailer would upgrade and reject the self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.password)
        callback(null, { user: auth.username })
      else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const done = simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            parsed,
          })
        })
        pending.push(done)
        done.then(() => callback(), callback)
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const bound = (server.server.address() as AddressInfo).port
  return {
    port: bound,
    user: credentials.user,
    password: credentials.password,
    url: `smtp://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${bound}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A TCP port nothing listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
