// Bounds how many costly jobs of one kind run at once, with a short queue behind them; past it, callers are turned away at once.

export class WorkGate {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor(
    private readonly options: {
      /** Jobs running at the same time. */
      concurrency: number
      /** Jobs that may wait for a slot; one more is refused. */
      queue: number
      /** The error a refused caller gets. */
      busy: () => Error
    },
  ) {}

  /** Runs `job` when a slot is free; throws `busy()` at once when every slot and queue place is taken. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.options.concurrency) this.running++
    else if (this.waiting.length < this.options.queue) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else throw this.options.busy()
    try {
      return await job()
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
