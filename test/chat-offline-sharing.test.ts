// The offline agent and shared projects: sharing one by email (an editor unless it says viewer), who has access,
// stopping sharing or removing someone by name, leaving (asked first), the invitations one has, accepted or declined,
// and a viewer's change refused in plain words, in English and German. What a user would check afterwards is read
// back through the REST API and the sharing service.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readMessage } from '../src/chat/offline-read'
import { listMembers, myInvitations } from '../src/features/projects/sharing'
import { testApp, type TestApp } from './helpers/app'
import { chatConversation } from './helpers/chat'

const NOW = new Date('2026-12-02T10:00:00Z')
const read = (text: string, projects = ['Work', 'Groceries']) => readMessage(text, 'Europe/Berlin', NOW, projects).request

describe('reading sharing requests', () => {
  test.each([
    ['share Work with bob@example.com', { action: 'invite', project: 'Work', email: 'bob@example.com', role: 'editor' }],
    ['share work with Bob@Example.com as a viewer', { action: 'invite', project: 'Work', email: 'bob@example.com', role: 'viewer' }],
    ['can you share the Groceries project with ann@example.com read-only', { action: 'invite', project: 'Groceries', role: 'viewer' }],
    ['invite bob@example.com to Work', { action: 'invite', project: 'Work', email: 'bob@example.com', role: 'editor' }],
    ['who has access to Work?', { action: 'members', project: 'Work' }],
    ['who is in Work', { action: 'members', project: 'Work' }],
    ["who's Work shared with", { action: 'members', project: 'Work' }],
    ['stop sharing Work with bob@example.com', { action: 'remove', project: 'Work', who: 'bob@example.com' }],
    ['remove bob from Work', { action: 'remove', project: 'Work', who: 'bob' }],
    ['leave Work', { action: 'leave', project: 'Work' }],
    ['accept the invitation to Garden', { action: 'accept', project: 'Garden' }],
    ['accept it', { action: 'accept' }],
    ['decline the invite to Garden', { action: 'decline', project: 'Garden' }],
    ['what invitations do I have?', { action: 'invitations' }],
    ['teile Work mit bob@example.com', { action: 'invite', project: 'Work', role: 'editor' }],
    ['teile Work mit bob@example.com nur zum Lesen', { action: 'invite', project: 'Work', role: 'viewer' }],
    ['wer hat Zugriff auf Work?', { action: 'members', project: 'Work' }],
    ['entferne bob aus Work', { action: 'remove', project: 'Work', who: 'bob' }],
    ['verlasse Work', { action: 'leave', project: 'Work' }],
    ['nimm die Einladung zu Garten an', { action: 'accept', project: 'Garten' }],
    ['lehne die Einladung zu Garten ab', { action: 'decline', project: 'Garten' }],
    ['welche Einladungen habe ich?', { action: 'invitations' }],
  ])('"%s"', (text, expected) => {
    expect(read(text)).toMatchObject({ kind: 'sharing', ...expected })
  })

  test.each(['leave work at 5', 'remove milk from my list', 'decline the meeting with Tom', 'share the pizza'])('"%s" is no sharing request', (text) => {
    expect(read(text).kind).not.toBe('sharing')
  })
})

describe('the offline agent shares projects', () => {
  let t: TestApp
  let tick = NOW.getTime()
  const clock = () => new Date((tick += 1000))
  type Person = { token: string; id: string; email: string; timezone: string }
  let alice: Person
  let bob: Person
  const person = async (email: string): Promise<Person> => {
    const signed = await t.signUp(email, { timezone: 'Europe/Berlin' })
    return { token: signed.token, id: signed.user.id, email, timezone: 'Europe/Berlin' }
  }
  const project = async (who: Person, name: string) => (await t.call('POST', '/api/v1/projects', { token: who.token, body: { name } })).body.id as string
  const task = async (who: Person, title: string, projectId: string) => (await t.call('POST', '/api/v1/tasks', { token: who.token, body: { title, project_id: projectId } })).body.id as string
  const members = async (owner: Person, projectId: string) => {
    const view = await listMembers({ db: t.database.db, clock }, owner, projectId)
    return [...view.members.map((m) => `${m.email} ${m.role}`), ...view.invitations.map((i) => `${i.email} ${i.role} invited`)].sort()
  }
  const say = (who: Person) => chatConversation(t, () => who.token)

  beforeAll(async () => {
    t = await testApp({ clock, env: { CHAT_MESSAGES_PER_MINUTE: '100000' } })
    alice = await person('alice@example.com')
    bob = await person('bob@example.com')
  })
  afterAll(() => t.dispose())

  test('sharing by email invites as an editor, or a viewer when said; who has access lists them; stopping withdraws', async () => {
    const work = await project(alice, 'Work')
    const chat = say(alice)
    expect((await chat('share Work with bob@example.com')).reply).toBe('Invited bob@example.com to "Work" as an editor; they see the invitation once signed in with that address.')
    expect((await chat('share Work with carol@example.com as viewer')).reply).toContain('as a viewer')
    expect(await members(alice, work)).toEqual(['alice@example.com owner', 'bob@example.com editor invited', 'carol@example.com viewer invited'])
    expect((await chat('who has access to Work?')).reply).toBe('"Work" is shared: you (owner), bob@example.com (editor, invited) and carol@example.com (viewer, invited).')
    expect((await chat('stop sharing Work with carol@example.com')).reply).toBe('Withdrew the invitation of carol@example.com to "Work".')
    expect(await members(alice, work)).toEqual(['alice@example.com owner', 'bob@example.com editor invited'])
  })

  test('the invited lists, accepts and declines their invitations; a member is removed by name; leaving is asked first', async () => {
    const garden = await project(alice, 'Garden')
    await task(alice, 'water the roses', garden)
    const trips = await project(alice, 'Trips')
    const alices = say(alice)
    await alices('share Garden with bob@example.com')
    await alices('share Trips with bob@example.com as a viewer')
    const bobs = say(bob)
    expect((await bobs('what invitations do I have?')).reply).toContain('"Garden" from alice@example.com (as an editor)')
    expect((await bobs('accept the invitation to Garden')).reply).toBe('You joined "Garden" as an editor: its tasks are in your lists now.')
    expect((await bobs('decline the invitation to Trips')).reply).toBe('Declined the invitation to "Trips".')
    expect((await myInvitations({ db: t.database.db, clock }, bob)).map((i) => i.project_name)).toEqual(['Work'])
    expect(await members(alice, garden)).toEqual(['alice@example.com owner', 'bob@example.com editor'])
    expect(await members(alice, trips)).toEqual(['alice@example.com owner'])

    expect((await bobs('leave Garden')).reply).toBe('Leave "Garden"? You will no longer see its tasks, and only alice@example.com can invite you back. Say yes or no.')
    expect((await bobs('no')).reply).toBe('OK, I cancelled that: nothing was changed.')
    expect(await members(alice, garden)).toContain('bob@example.com editor')
    expect((await alices('remove bob from Garden')).reply).toBe('Stopped sharing "Garden" with bob@example.com: they no longer see its tasks.')
    expect(await members(alice, garden)).toEqual(['alice@example.com owner'])
    expect((await alices('leave Garden')).reply).toBe('"Garden" is your own project: you cannot leave it (stop sharing it, or delete it).')
  })

  test('a viewer asking to change a task is told plainly why not, and nothing changes; "remove milk from Groceries" is still about a task', async () => {
    const club = await project(alice, 'Book club')
    const novel = await task(alice, 'pick a novel', club)
    await say(alice)('share Book club with bob@example.com as a viewer')
    await say(bob)('accept the invitation to Book club')
    const bobs = say(bob)
    expect((await bobs('complete pick a novel')).reply).toBe('You can only view "pick a novel": "Book club" is shared with you as a viewer, so its tasks can be changed by its owner and editors only.')
    expect((await t.call('GET', `/api/v1/tasks/${novel}`, { token: alice.token })).body.status).toBe('pending')

    const groceries = await project(alice, 'Groceries')
    await task(alice, 'milk', groceries)
    const notSharing = await say(alice)('remove milk from Groceries')
    expect(notSharing.tool_calls.map((c) => c.name)).not.toContain('unshare_project')
    expect(notSharing.reply).toContain('milk')
  })

  test('in German', async () => {
    const arbeit = await project(alice, 'Arbeit')
    const chat = say(alice)
    expect((await chat('teile Arbeit mit bob@example.com nur zum Lesen')).reply).toBe('bob@example.com ist zu "Arbeit" eingeladen, als Betrachter (nur lesen); die Einladung erscheint nach der Anmeldung mit dieser Adresse.')
    expect((await say(bob)('nimm die Einladung zu Arbeit an')).reply).toBe('Du bist jetzt Betrachter in "Arbeit": seine Aufgaben stehen in deinen Listen.')
    expect((await chat('wer hat Zugriff auf Arbeit?')).reply).toBe('"Arbeit" ist geteilt: du (Eigentümer) und bob@example.com (Betrachter).')
    expect((await chat('entferne bob aus Arbeit')).reply).toBe('"Arbeit" ist nicht mehr mit bob@example.com geteilt: die Aufgaben sind dort nicht mehr zu sehen.')
    expect(await members(alice, arbeit)).toEqual(['alice@example.com owner'])
  })
})
