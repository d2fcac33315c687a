// The sharing contract, once: inviting, changing a role, and how members and invitations read; REST, OpenAPI, MCP and the service derive from it.
import { z } from 'zod'
import { NewEmail } from '../auth/model'
import { strictFields } from '../../lib/validation'
import type { MemberRole } from './schema'

export const MEMBER_ROLES = ['editor', 'viewer'] as const satisfies readonly MemberRole[]

export const MemberRoleField = z
  .enum(MEMBER_ROLES, { error: 'role must be editor or viewer' })
  .describe('editor: reads and changes the project\'s tasks; viewer: only reads them. Only the owner manages the project and its members')

export const InviteInput = strictFields(
  { email: NewEmail.describe('The address of the person to invite; they see the invitation once signed in with it'), role: MemberRoleField.optional() },
  'invitation',
)
export type Invite = z.output<typeof InviteInput>

export const RoleInput = strictFields({ role: MemberRoleField }, 'member')
export type RoleChange = z.output<typeof RoleInput>

export const RoleViewSchema = z.enum(['owner', 'editor', 'viewer'])

export const MemberViewSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  role: RoleViewSchema,
  joined_at: z.string().nullable().describe('When they accepted; null for the owner'),
})
export type MemberView = z.output<typeof MemberViewSchema>

export const InvitationViewSchema = z.object({
  id: z.string().describe('Invitation id (UUID)'),
  project_id: z.string(),
  project_name: z.string(),
  email: z.string().describe('Who is invited'),
  role: MemberRoleField,
  invited_by: z.string().describe('The inviting owner\'s email'),
  created_at: z.string(),
})
export type InvitationView = z.output<typeof InvitationViewSchema>

export const MembersViewSchema = z.object({
  project_id: z.string(),
  your_role: RoleViewSchema,
  members: z.array(MemberViewSchema).describe('The owner first, then members in the order they joined'),
  invitations: z.array(InvitationViewSchema).describe('Invitations waiting for an answer; listed to the owner only (empty for members)'),
})
export type MembersView = z.output<typeof MembersViewSchema>
