import { isIP } from 'node:net'

/**
 * A minimal MaxMind DB (format 2.0) writer for tests: builds small .mmdb files in the layouts of
 * GeoLite2-City and GeoLite2-ASN so the configured-database code paths read real files. IPv6 tree
 * (ip_version 6, 24-bit records); IPv4 networks live in `::/96` as in MaxMind's own databases.
 */
export type MmdbValue = string | number | MmdbValue[] | { [key: string]: MmdbValue }

/** `network` is "a.b.c.d/p" or "x:y::/p". */
export function writeMmdb(
  databaseType: string,
  networks: ReadonlyArray<readonly [network: string, data: MmdbValue]>,
): Buffer {
  const EMPTY = -1
  // Each node: [left, right]; >= 0 node index, EMPTY, or -(2 + data offset).
  const nodes: Array<[number, number]> = [[EMPTY, EMPTY]]
  const data: Buffer[] = []
  let dataSize = 0
  for (const [network, value] of networks) {
    const [address = '', prefixText = ''] = network.split('/')
    const v4 = isIP(address) === 4
    const bytes = v4 ? Buffer.concat([Buffer.alloc(12), ipv4Bytes(address)]) : ipv6Bytes(address)
    const prefix = Number(prefixText) + (v4 ? 96 : 0)
    const encoded = encode(value)
    const pointer = -(2 + dataSize)
    data.push(encoded)
    dataSize += encoded.length
    let node = 0
    for (let depth = 0; depth < prefix; depth++) {
      const bit = (bytes[depth >> 3]! >> (7 - (depth & 7))) & 1
      if (depth === prefix - 1) {
        nodes[node]![bit] = pointer
      } else {
        let next = nodes[node]![bit]!
        if (next < 0) {
          next = nodes.push([EMPTY, EMPTY]) - 1
          nodes[node]![bit] = next
        }
        node = next
      }
    }
  }
  const nodeCount = nodes.length
  const record = (value: number): number =>
    value === EMPTY ? nodeCount : value >= 0 ? value : nodeCount + 16 - value - 2
  const tree = Buffer.alloc(nodeCount * 6)
  nodes.forEach(([left, right], index) => {
    tree.writeUIntBE(record(left), index * 6, 3)
    tree.writeUIntBE(record(right), index * 6 + 3, 3)
  })
  const metadata = encode({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    description: { en: 'Parley test database' },
  })
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex'), metadata])
}

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number))
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::')
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : [])
  const left = groups(head)
  const right = groups(tail)
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const bytes = Buffer.alloc(16)
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2))
  return bytes
}

function control(type: number, size: number): Buffer {
  const extended = type > 7
  const head = extended ? 0 : type << 5
  const typeByte = extended ? [type - 7] : []
  if (size < 29) return Buffer.from([head | size, ...typeByte])
  if (size < 285) return Buffer.from([head | 29, ...typeByte, size - 29])
  const rest = size - 285
  return Buffer.from([head | 30, ...typeByte, rest >> 8, rest & 0xff])
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([control(2, bytes.length), bytes])
  }
  if (typeof value === 'number') {
    const bytes: number[] = []
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
    return Buffer.concat([control(6, bytes.length), Buffer.from(bytes)])
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)])
  const entries = Object.entries(value)
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([key, item]) => [encode(key), encode(item)])])
}
