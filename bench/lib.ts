// Small shared helpers of the bench scripts: `--name value` options and percentiles.

/** The script's `--name value` options. */
export function options(): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
  return args
}

/** The p-th percentile of `xs` (nearest rank; NaN for none). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
