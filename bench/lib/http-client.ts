import { Agent, request } from 'node:http'

// node:http with a keep-alive agent: a thinner client than fetch, so the figures show the
// server's time rather than the client's stream machinery.
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

/** One HTTP request; resolves with the status and the whole body as text. */
export function httpCall(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.once('error', reject)
    })
    req.once('error', reject)
    req.end(body)
  })
}
