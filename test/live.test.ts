// Live updates: GET /live streams what changed for the signed-in user alone (and, for a shared project's task, its owner and members), coalesced, bounded, and closed at log-out.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { announceChange } from '../src/events/live-notice'
import { LiveHub, liveHubOf } from '../src/features/live/hub'
import { testApp, type TestApp } from './helpers/app'
import { removeFrom, sharedProject } from './helpers/membership'
import { until } from './helpers/wait'

let t: TestApp

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.dispose())

/** An open event stream, read as a browser's EventSource would: its `change` events, in order. */
interface Stream {
  status: number
  contentType: string | null
  /** The kinds each `change` event named, in order. */
  events: string[][]
  /** The stream's name, from its first event. */
  id?: string
  /** True once the server ended the stream. */
  ended: boolean
  close(): void
}

/** Reads an SSE body in the background into `events`. */
function readEvents(body: ReadableStream<Uint8Array>, into: Stream): void {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  void (async () => {
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true })
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end).split('\n')
          buffer = buffer.slice(end + 2)
          const data = block.find((l) => l.startsWith('data: '))?.slice(6) ?? ''
          if (block.includes('event: change')) into.events.push(data.split(' '))
          if (block.includes('event: hello')) into.id = data
        }
      }
    } catch {
      // Aborted by the test.
    }
    into.ended = true
  })()
}

async function open(session: string): Promise<Stream> {
  const abort = new AbortController()
  const res = await t.app.handle(new Request('http://localhost/live', { headers: { cookie: `session=${session}`, accept: 'text/event-stream' }, signal: abort.signal }))
  const stream: Stream = { status: res.status, contentType: res.headers.get('content-type'), events: [], ended: false, close: () => abort.abort() }
  if (res.status === 200) readEvents(res.body!, stream)
  else await res.text()
  return stream
}

const createTask = (token: string, title: string) => t.call('POST', '/api/v1/tasks', { token, body: { title } })

describe('GET /live', () => {
  test('a change reaches its owner’s stream and no one else’s', async () => {
    const alice = await t.signUp()
    const bob = await t.signUp()
    const aliceStream = await open(alice.token)
    const bobStream = await open(bob.token)
    expect(aliceStream.status).toBe(200)
    expect(aliceStream.contentType).toStartWith('text/event-stream')

    expect((await createTask(alice.token, 'Alice only')).status).toBe(201)
    await until('alice’s stream to hear of her task', () => aliceStream.events.length > 0)
    expect(aliceStream.events).toEqual([['tasks']])

    // Notices arrive in commit order: once Bob's own change has reached him, Alice's (earlier) would have too.
    expect((await createTask(bob.token, 'Bob only')).status).toBe(201)
    await until('bob’s stream to hear of his task', () => bobStream.events.length > 0)
    expect(bobStream.events).toEqual([['tasks']])
    expect(aliceStream.events).toEqual([['tasks']])
    aliceStream.close()
    bobStream.close()
  })

  test('a change to a shared project’s task reaches the owner and every member, whoever made it; an ex-member hears nothing', async () => {
    const [owner, editor, viewer, ex, stranger] = [await t.signUp(), await t.signUp(), await t.signUp(), await t.signUp(), await t.signUp()] as const
    const project = await sharedProject(t, owner, [
      [editor, 'editor'],
      [viewer, 'viewer'],
      [ex, 'viewer'],
    ])
    await removeFrom(t, owner, project, ex)
    const [ownerStream, editorStream, viewerStream, exStream, strangerStream] = [await open(owner.token), await open(editor.token), await open(viewer.token), await open(ex.token), await open(stranger.token)]

    const made = await t.call('POST', '/api/v1/tasks', { token: owner.token, body: { title: 'Shared plan', project_id: project } })
    expect(made.status).toBe(201)
    await until('the editor to hear of the owner’s task', () => editorStream.events.length > 0)
    await until('the viewer to hear of it', () => viewerStream.events.length > 0)
    await until('the owner to hear of it', () => ownerStream.events.length > 0)

    expect((await t.call('PATCH', `/api/v1/tasks/${made.body.id}`, { token: editor.token, body: { priority: 'high' } })).status).toBe(200)
    await until('the owner to hear of the editor’s change', () => ownerStream.events.length > 1)
    await until('the viewer to hear of it', () => viewerStream.events.length > 1)
    expect(ownerStream.events).toEqual([['tasks'], ['tasks']])

    // Notices arrive in commit order: once their own changes have reached them, the shared ones (earlier) would have too.
    for (const [person, stream] of [[ex, exStream], [stranger, strangerStream]] as const) {
      expect((await createTask(person.token, 'My own')).status).toBe(201)
      await until('their own change to reach them', () => stream.events.length > 0)
      expect(stream.events).toEqual([['tasks']])
    }
    for (const stream of [ownerStream, editorStream, viewerStream, exStream, strangerStream]) stream.close()
  })

  test('a page’s own change is not echoed to its stream; the same user’s other pages hear of it', async () => {
    const gina = await t.signUp()
    const acting = await open(gina.token)
    const other = await open(gina.token)
    await until('the acting page to learn its stream’s name', () => acting.id !== undefined)
    const made = await t.call('POST', '/api/v1/tasks', { token: gina.token, body: { title: 'From this page' }, headers: { 'x-live-stream': acting.id! } })
    expect(made.status).toBe(201)
    await until('the other page to hear of it', () => other.events.length > 0)
    // Then a change from elsewhere reaches both, and the acting page had heard nothing before it.
    expect((await createTask(gina.token, 'From elsewhere')).status).toBe(201)
    await until('the acting page to hear of the second change', () => acting.events.length > 0)
    expect(acting.events).toEqual([['tasks']])
    await until('the other page to hear of the second change', () => other.events.length > 1)
    expect(other.events).toEqual([['tasks'], ['tasks']])
    acting.close()
    other.close()
  })

  test('a new or read notification reaches its owner’s stream (the bell)', async () => {
    const carol = await t.signUp()
    const stream = await open(carol.token)
    // As the reminder consumer does when a reminder fires: the notice goes out with the notification.
    await t.database.db.transaction((tx) => announceChange(tx, carol.user.id, 'notifications'))
    await until('the notification notice', () => stream.events.length > 0)
    expect(stream.events).toEqual([['notifications']])
    stream.close()
  })

  test('log-out ends the session’s stream at once', async () => {
    const dave = await t.signUp()
    const stream = await open(dave.token)
    expect(stream.status).toBe(200)
    expect((await t.call('POST', '/api/v1/auth/logout', { token: dave.token })).status).toBe(204)
    await until('the stream to end', () => stream.ended)
    // And it cannot be opened again with that session.
    const again = await open(dave.token)
    expect(again.status).toBe(401)
  })

  test('a closed page’s stream is let go', async () => {
    const erin = await t.signUp()
    const hub = liveHubOf({ database: t.database })
    const stream = await open(erin.token)
    expect(hub.size(erin.user.id)).toBe(1)
    stream.close()
    await until('the hub to let the stream go', () => hub.size(erin.user.id) === 0)
  })

  test('one user may hold ten streams on a replica; the eleventh is refused with 429', async () => {
    const frank = await t.signUp()
    const streams = await Promise.all(Array.from({ length: 10 }, () => open(frank.token)))
    expect(streams.map((s) => s.status)).toEqual(Array(10).fill(200))
    const eleventh = await open(frank.token)
    expect(eleventh.status).toBe(429)
    const scraped = (await t.scrape()).text
    expect(scraped).toMatch(/^todo_live_streams 10$/m)
    expect(scraped).toMatch(/^todo_live_refused_total\{reason="user"\} 1$/m)
    // Someone else is not held back by Frank's tabs.
    const other = await open((await t.signUp()).token)
    expect(other.status).toBe(200)
    for (const s of [...streams, other]) s.close()
  })

  test('signed out, /live is refused with 401 (not a redirect to a page, which an EventSource would report as an error)', async () => {
    const res = await t.app.handle(new Request('http://localhost/live', { headers: { accept: 'text/event-stream' } }))
    expect(res.status).toBe(401)
    expect(res.headers.get('location')).toBeNull()
  })
})

describe('the hub', () => {
  const limits = { perUser: 2, max: 3, minGapMs: 200, heartbeatMs: 60_000, listenBeatMs: 60_000, refreshSpreadMs: 0 }
  let hub: LiveHub
  beforeAll(async () => {
    hub = new LiveHub(limits)
    await hub.listen(t.database)
  })
  afterAll(() => hub.stop())

  const opened = (userId: string) => {
    const abort = new AbortController()
    const result = hub.open({ id: userId, credentialId: crypto.randomUUID() }, abort.signal)
    if (!('stream' in result)) return { refused: result.refused, abort }
    const stream: Stream = { status: 200, contentType: null, events: [], ended: false, close: () => abort.abort() }
    readEvents(result.stream, stream)
    return { stream, abort }
  }

  test('a thousand changes in a burst are two events, the second naming every kind that changed', async () => {
    const { stream } = opened('burst')
    for (let i = 0; i < 1000; i += 1) hub.mark('burst', [i % 2 ? 'tasks' : 'reminders'])
    await until('the coalesced event', () => stream!.events.length >= 2)
    // A later change comes as its own event: nothing else was queued for the burst.
    hub.mark('burst', ['notifications'])
    await until('the next event', () => stream!.events.length >= 3)
    expect(stream!.events.map((kinds) => kinds.sort())).toEqual([['reminders'], ['reminders', 'tasks'], ['notifications']])
    stream!.close()
  })

  test('a client that does not read holds at most two events; what it missed comes as one when it reads', async () => {
    const fast = new LiveHub({ ...limits, minGapMs: 0 })
    await fast.listen(t.database)
    const abort = new AbortController()
    const result = fast.open({ id: 'slow', credentialId: 'c' }, abort.signal)
    if (!('stream' in result)) throw new Error(`refused: ${result.refused}`)
    // No one reads while a thousand changes come.
    for (let i = 0; i < 1000; i += 1) fast.mark('slow', [i % 2 ? 'tasks' : 'reminders'])
    const stream: Stream = { status: 200, contentType: null, events: [], ended: false, close: () => abort.abort() }
    readEvents(result.stream, stream)
    await until('what was held to arrive', () => stream.events.length >= 2)
    fast.mark('slow', ['notifications'])
    await until('the next event', () => stream.events.length >= 3)
    expect(stream.events.map((kinds) => kinds.sort())).toEqual([['reminders'], ['reminders', 'tasks'], ['notifications']])
    stream.close()
    await fast.stop()
  })

  test('after the LISTEN is lost and back, every open page is told to refresh everything once', async () => {
    // A database whose LISTEN can be re-established on cue, as postgres.js does after a reconnect.
    const relisten: Array<() => void> = []
    const database = {
      listen: async (_channel: string, _onNotify: (payload: string) => void, onListen?: () => void) => {
        relisten.push(() => onListen?.())
        onListen?.()
        return async () => {}
      },
      db: { execute: async () => [] },
    } as unknown as Parameters<LiveHub['listen']>[0]
    const lonely = new LiveHub(limits)
    await lonely.listen(database)
    const abort = new AbortController()
    const result = lonely.open({ id: 'gap', credentialId: 'c' }, abort.signal)
    if (!('stream' in result)) throw new Error(`refused: ${result.refused}`)
    const stream: Stream = { status: 200, contentType: null, events: [], ended: false, close: () => abort.abort() }
    readEvents(result.stream, stream)
    for (const again of relisten) again()
    await until('the refresh after the gap', () => stream.events.length >= 1)
    expect(stream.events.map((kinds) => kinds.sort())).toEqual([['notifications', 'reminders', 'tasks']])
    stream.close()
    await lonely.stop()
  })

  test('streams past the per-user and the per-replica caps are refused', () => {
    const a1 = opened('cap-a')
    const a2 = opened('cap-a')
    expect(opened('cap-a').refused).toBe('user')
    const b1 = opened('cap-b')
    expect(opened('cap-c').refused).toBe('replica')
    for (const s of [a1, a2, b1]) s.abort.abort()
    expect(hub.size()).toBe(0)
    expect(opened('cap-c').refused).toBeUndefined()
  })
})
