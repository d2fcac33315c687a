// A per-process sliding-window limiter for frequent calls (MCP, chat) where a database write per call would cost too much.

export class MemoryRateLimit {
  private readonly hits = new Map<string, number[]>()

  constructor(private readonly options: { max: number; windowMs: number; now?: () => number }) {}

  /** Counts one call for `key`; returns 0 if allowed, else the seconds until one is. */
  take(key: string): number {
    const now = (this.options.now ?? Date.now)()
    const since = now - this.options.windowMs
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since)
    if (recent.length >= this.options.max) {
      this.hits.set(key, recent)
      return Math.max(1, Math.ceil((recent[0]! + this.options.windowMs - now) / 1000))
    }
    recent.push(now)
    this.hits.set(key, recent)
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.every((t) => t <= since)) this.hits.delete(k)
    return 0
  }
}
