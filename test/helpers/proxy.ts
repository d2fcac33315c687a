// A TCP proxy in front of PostgreSQL that can be cut (every connection reset, new ones refused) and restored on
// its port, as a database restart looks to its clients.
import net from 'node:net'

/** A TCP proxy to PostgreSQL that can be cut (every connection reset, new ones refused) and restored on its port. */
export class CuttableProxy {
  private server?: net.Server
  private sockets = new Set<net.Socket>()
  port = 0

  constructor(private target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => kill())
        s.on('close', () => kill())
      }
      const kill = () => {
        client.destroy()
        upstream.destroy()
        this.sockets.delete(client)
        this.sockets.delete(upstream)
      }
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()))
    this.port = (server.address() as net.AddressInfo).port
    this.server = server
  }

  async down(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
