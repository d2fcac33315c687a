// A per-process sliding-window limiter for frequent calls (MCP, chat) where a database write per call would cost too much.

export class MemoryRateLimit {
  private readonly hits = new Map<string, number[]>()

  constructor(private readonly options: { max: number; windowMs: number; now?: () => number }) {}

  /**
   * Counts `calls` calls (a batch) for `key`, all or none; returns 0 if allowed, else the seconds until they
   * would be. A batch larger than the limit is never allowed (the caller caps batches below it).
   */
  take(key: string, calls = 1): number {
    const now = (this.options.now ?? Date.now)()
    const since = now - this.options.windowMs
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since)
    if (recent.length + calls > this.options.max) {
      this.hits.set(key, recent)
      // The oldest hits that have to expire before `calls` more fit.
      const freed = recent[Math.min(recent.length - 1, recent.length + calls - this.options.max - 1)]
      return Math.max(1, Math.ceil(((freed ?? now) + this.options.windowMs - now) / 1000))
    }
    for (let i = 0; i < calls; i++) recent.push(now)
    this.hits.set(key, recent)
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.every((t) => t <= since)) this.hits.delete(k)
    return 0
  }
}
