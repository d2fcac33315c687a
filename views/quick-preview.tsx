// What quick add understood of its line, shown under the box as it is typed: the `#qa-preview` region's content.
import { Html } from './html'
import type { ParsedTask } from '../src/features/tasks/parse-text'
import { describeRepeat, formatAbsolute, formatDay } from './format'

const PRIORITY_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const

/** Title, when (a time, or the day and "all day"), priority, tags and repeat; nothing for an empty line. */
export function QuickPreview({ parsed, timezone, now }: { parsed: ParsedTask | null; timezone: string; now: Date }) {
  if (!parsed) return ''
  const when = parsed.due_date ? formatAbsolute(new Date(parsed.due_date), timezone, now) : parsed.due_day ? `${formatDay(parsed.due_day, timezone, now)}, all day` : ''
  const item = (label: string, value: string) => (
    <div>
      <dt safe>{label}</dt>
      <dd safe>{value}</dd>
    </div>
  )
  // A <dl> may not carry a name (aria-label on it is prohibited): a visually hidden lead-in says what the list is.
  return (
    <>
      <span class="visually-hidden">Quick add will save:</span>
      <dl class="understood">
        {item('Title', parsed.title || '(none yet)')}
        {when ? item('Due', when) : ''}
        {parsed.priority ? item('Priority', PRIORITY_LABEL[parsed.priority]) : ''}
        {parsed.tags.length ? item('Tags', parsed.tags.map((t) => `#${t}`).join(' ')) : ''}
        {parsed.recurrence ? item('Repeats', describeRepeat(parsed.recurrence)) : ''}
      </dl>
    </>
  )
}
