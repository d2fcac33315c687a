// A bound on waiting: a request or a background loop that awaits a dependency that never answers (a driver stuck on
// a dropped connection, a half-open socket) would otherwise wait for good.

export class TookTooLong extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`)
    this.name = 'TookTooLong'
  }
}

/** `work`'s result, or a TookTooLong rejection once `ms` pass (the work itself goes on; it cannot be cancelled). */
export function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TookTooLong(what, ms)), ms)
    timer.unref?.()
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
