// Hostile input for every route and MCP tool, generated with fast-check: wrong types, missing and extra fields,
// huge strings, unicode edge cases, NUL bytes, SQL and HTML metacharacters, deep JSON, bad dates and bad RRULEs.
// The suite runs it with a fixed seed; bench/fuzz.ts runs it long with a fresh one.
import fc from 'fast-check'

/** Strings chosen to break things: encodings, injections, limits, separators. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'nul\u0000inside',
  '\uD800',
  'lone \uDC00 low',
  '\uFEFFbom',
  '\u202Eright-to-left',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\u200B\u200C\u200D',
  "'; drop table tasks; --",
  '" or 1=1 --',
  "\\'; select pg_sleep(5); --",
  '$1 $$ $tag$',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  '../../../etc/passwd',
  '%00%2e%2e%2f',
  'line\r\nX-Injected: 1',
  'x'.repeat(201),
  'y'.repeat(4001),
  'z'.repeat(70_000),
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
]

export const BAD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '0000-00-00',
  '2026-01-01T25:00',
  '2026-01-01T23:60',
  '275760-09-14T00:00:00Z',
  '+275760-09-13T00:00:01Z',
  '-000001-01-01T00:00:00Z',
  '10000-01-01',
  '1969-12-31T23:59:59Z',
  'yesterday',
  'tomorrow at 25pm',
  '2026-03-29T02:30',
  '2026-11-01T01:30',
  '1e99',
  '2026-01-01T00:00:00+99:00',
  '2026-01-01 00:00:00 garbage',
]

export const BAD_RRULES = [
  'FREQ=SECONDLY',
  'FREQ=MINUTELY;INTERVAL=1',
  'FREQ=DAILY;INTERVAL=0',
  'FREQ=DAILY;INTERVAL=-3',
  'FREQ=DAILY;COUNT=0',
  'FREQ=DAILY;COUNT=99999999999999999',
  'FREQ=YEARLY;BYMONTH=13',
  'FREQ=MONTHLY;BYMONTHDAY=32',
  'FREQ=MONTHLY;BYMONTHDAY=0',
  'FREQ=WEEKLY;BYDAY=XX',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31;BYSETPOS=1',
  'FREQ=YEARLY;BYYEARDAY=366;BYMONTH=2',
  'FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2',
  'FREQ=DAILY;BYHOUR=25',
  'FREQ=DAILY;UNTIL=notadate',
  'FREQ=DAILY;UNTIL=19700101T000000Z',
  'FREQ=YEARLY;BYSETPOS=0',
  'RRULE:',
  'RRULE:FREQ=DAILY;FREQ=WEEKLY',
  'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY',
  'FREQ=DAILY;' + 'BYHOUR=1;'.repeat(80),
  'freq=daily',
  'FREQ=HOURLY;INTERVAL=1;COUNT=5',
]

/** Any string: the curated ones, random unicode (lone surrogates included), near-limit and huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 190, maxLength: 260 }), weight: 1 },
  { arbitrary: fc.constantFrom(...BAD_DATES), weight: 2 },
  { arbitrary: fc.constantFrom(...BAD_RRULES), weight: 2 },
)

/** JSON nested `depth` levels deep. */
export const deep = (depth: number): unknown => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

/** Any JSON value of the wrong shape: strings, numbers at the edges, booleans, null, arrays, objects, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MIN_VALUE), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.array(hostileString, { maxLength: 15 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 4 }), weight: 1 },
  { arbitrary: fc.constantFrom(deep(40), deep(2000), { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }), weight: 1 },
)

/** Every field name any route reads, so generated bodies hit real fields as well as unknown ones. */
export const FIELDS = [
  'title', 'description', 'status', 'priority', 'due_date', 'recurrence', 'recurrence_from', 'tags',
  'lead', 'remind_at', 'id', 'ids', 'all', 'to', 'date', 'month', 'days',
  'email', 'password', 'timezone', 'name', 'token', 'url', 'secret', 'message', 'conversation_id', 'content',
  'search', 'sort', 'order', 'limit', 'cursor', 'due_date_from', 'due_date_to', 'back', 'next', 'action',
  'task_id', 'reminder_id', 'expires_in_days', 'data', 'type', 'specversion', 'source', 'topic', 'jsonrpc', 'method', 'params',
]

/** Valid bodies for the routes that create things, mutated field by field. */
export const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/tasks': { title: 'Buy milk', description: 'two', priority: 'high', due_date: '2026-12-01T09:00', tags: ['home'], recurrence: 'WEEKLY' },
  'PATCH /api/v1/tasks/:id': { title: 'Renamed', status: 'completed', due_date: null, tags: [] },
  'POST /api/v1/tasks/:id/reminders': { lead: '30m' },
  'POST /api/v1/tokens': { name: 'laptop' },
  'PATCH /api/v1/me': { timezone: 'Europe/Berlin' },
  'POST /api/v1/chat': { message: 'add buy bread tomorrow' },
  'POST /api/v1/auth/signup': { email: 'fuzz@example.com', password: 'correct horse battery', timezone: 'UTC' },
  'POST /api/v1/auth/login': { email: 'fuzz@example.com', password: 'correct horse battery' },
}

const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())

/** Values a field could well be sent, edge cases within the rules included: so bodies get through and get stored. */
const PLAUSIBLE: Record<string, fc.Arbitrary<unknown>> = {
  title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
  description: fc.string({ unit: 'grapheme', maxLength: 400 }),
  tags: fc.array(fc.stringMatching(/^#?[A-Za-z0-9ÄÖÜäöüß][\w\-./:+]{0,24}$/), { maxLength: 8 }),
  due_date: fc.oneof(isoDate, isoDate.map((d) => d.slice(0, 16)), fc.constant(null)),
  recurrence: fc.constantFrom(null, '', 'DAILY', 'weekly', 'MONTHLY', 'FREQ=WEEKLY;BYDAY=MO,WE', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=YEARLY;COUNT=3', 'FREQ=DAILY;INTERVAL=2;UNTIL=20300101T000000Z'),
  recurrence_from: fc.constantFrom('due', 'completion'),
  priority: fc.constantFrom('low', 'medium', 'high'),
  status: fc.constantFrom('pending', 'completed'),
  lead: fc.constantFrom('15m', '1h', '1d', '90m', '2d'),
  remind_at: isoDate,
  message: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
  name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham'),
}

/** A field's value: plausible as often as hostile. */
const valueFor = (field: string) => (PLAUSIBLE[field] ? fc.oneof(PLAUSIBLE[field]!, hostileValue) : hostileValue)

/** `route`'s valid body with a few fields set to plausible or hostile values: most get through, to be stored. */
export function nearlyValidBody(route: string): fc.Arbitrary<Record<string, unknown>> {
  const valid = VALID_BODIES[route] ?? { title: 'x' }
  const keys = Object.keys(valid)
  return fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 3 })
    .chain((fields) => fc.tuple(...fields.map((f) => (PLAUSIBLE[f] ? fc.oneof({ arbitrary: PLAUSIBLE[f]!, weight: 3 }, { arbitrary: hostileValue, weight: 1 }) : hostileValue).map((v) => [f, v] as const))))
    .map((pairs) => ({ ...valid, ...Object.fromEntries(pairs) }))
}

/** A body for `route`: its valid body with fields replaced, removed or added, or any object, or no object at all. */
export function bodyFor(route: string): fc.Arbitrary<unknown> {
  const valid = VALID_BODIES[route] ?? { title: 'x' }
  const keys = Object.keys(valid)
  const mutated = fc
    .record({
      replace: fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 3 }).chain((fields) => fc.tuple(...fields.map((f) => valueFor(f).map((v) => [f, v] as const)))),
      remove: fc.subarray(keys, { maxLength: Math.min(2, keys.length) }),
      extra: fc.option(fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { minKeys: 1, maxKeys: 2 }), { freq: 4 }),
    })
    .map(({ replace, remove, extra }) => {
      const body: Record<string, unknown> = { ...valid, ...Object.fromEntries(replace) }
      for (const k of remove) delete body[k]
      return { ...body, ...(extra ?? {}) }
    })
  return fc.oneof(
    { arbitrary: mutated, weight: 6 },
    { arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 5 }), weight: 2 },
    { arbitrary: hostileValue, weight: 1 },
  )
}

/** A raw body that is not the JSON asked for: broken, empty, deep, or bigger than the limit (those expect 413). */
export const rawBody: fc.Arbitrary<{ text: string; type: string; tooLarge?: boolean }> = fc.oneof(
  fc.constantFrom(
    { text: '{"title":', type: 'application/json' },
    { text: '{"title": "a"}}', type: 'application/json' },
    { text: '', type: 'application/json' },
    { text: 'null', type: 'application/json' },
    { text: '\u0000', type: 'application/json' },
    { text: '{"title": "\\u0000"}', type: 'application/json' },
    { text: '{"title": "\\ud800"}', type: 'application/json' },
    { text: '['.repeat(100_000) + ']'.repeat(100_000), type: 'application/json' },
    { text: 'title=a&title=b', type: 'application/x-www-form-urlencoded' },
    { text: '<xml/>', type: 'application/xml' },
    { text: 'plain words', type: 'text/plain' },
    { text: '{"title":"a"}', type: 'application/json; charset=latin1' },
    { text: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\na\r\n--x--', type: 'multipart/form-data; boundary=x' },
  ),
  fc.constant({ text: JSON.stringify({ title: 'x', description: 'd'.repeat(1_100_000) }), type: 'application/json', tooLarge: true }),
)

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** A path segment standing in for an id: real ids (the caller's own, another user's), random UUIDs, junk. */
export const idSegment = (own: string[], others: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...own, ...others), weight: 3 },
    { arbitrary: fc.uuid(), weight: 2 },
    // A URL cannot carry an unpaired surrogate: those become U+FFFD here, and raw bad UTF-8 comes from the list below.
    { arbitrary: hostileString.map((s) => encodeURIComponent(s.slice(0, 300).replace(LONE_SURROGATE, '\uFFFD')) || 'x'), weight: 3 },
    { arbitrary: fc.constantFrom('..', '%2e%2e', '%00', '%ED%A0%80', '%FF%FE', '%C0%AF', '%', 'null', '0', '-1', '00000000-0000-0000-0000-000000000000', 'ZZZZZZZZ-0000-4000-8000-000000000000'), weight: 1 },
  )

/** A query string of known and unknown names with hostile values. */
export const queryString: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...FIELDS, 'x'), hostileString.map((s) => s.slice(0, 2000))), { maxLength: 4 })
  .map((pairs) => {
    const params = new URLSearchParams()
    for (const [k, v] of pairs) params.append(k, v)
    const text = params.toString()
    return text ? `?${text}` : ''
  })

/** A form body (urlencoded) of known and unknown fields with hostile values. */
export const formFields: fc.Arbitrary<Array<[string, string]>> = fc.array(fc.tuple(fc.constantFrom(...FIELDS), hostileString), { maxLength: 6 })
