// The account contract, once: what signing up, logging in, changing the account and creating an API token take. REST bodies, OpenAPI, the pages and the services' types derive from it.
import { z } from 'zod'
import { isTimeZone } from '../../lib/time'
import { strictFields } from '../../lib/validation'
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from './password-policy'

export const EMAIL_MAX = 254
export const TIMEZONE_MAX = 64
export const TOKEN_NAME_MAX = 100

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const EMAIL_ERROR = 'email must be an address like name@example.com'
const PASSWORD_LENGTH = `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`
const TIMEZONE_ERROR = 'timezone must be an IANA time zone name such as Europe/Berlin or UTC'
const TOKEN_NAME_ERROR = `name must be 1 to ${TOKEN_NAME_MAX} characters, e.g. "laptop" or "claude desktop"`

/** An email as it is stored and looked up: trimmed and lower-cased (any text up to the limit, for a log-in). */
const Email = z.string({ error: EMAIL_ERROR }).max(EMAIL_MAX, { error: EMAIL_ERROR }).trim().toLowerCase()

/** An email a new account is made with: an address. */
export const NewEmail = Email.regex(EMAIL, { error: EMAIL_ERROR }).describe('An address; stored trimmed and lower-cased')

/** A password given to log in: checked only against the hash, bounded so that hashing it stays cheap. */
const Password = z.string({ error: PASSWORD_LENGTH }).max(PASSWORD_MAX * 4, { error: PASSWORD_LENGTH })

/** A password being set: PASSWORD_MIN to PASSWORD_MAX characters (code points); the rest of the policy needs the email (SignUpInput). */
const NewPassword = z
  .string({ error: PASSWORD_LENGTH })
  .refine((value) => [...value].length >= PASSWORD_MIN && [...value].length <= PASSWORD_MAX, { error: PASSWORD_LENGTH })
  .meta({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })

/** An IANA time zone name, trimmed. */
export const TimeZone = z
  .string({ error: TIMEZONE_ERROR })
  .trim()
  .refine(isTimeZone, { error: TIMEZONE_ERROR })
  .meta({ maxLength: TIMEZONE_MAX })
  .describe('IANA zone, e.g. Europe/Berlin')

/** A sign-up: the password policy is checked against the email too. Without a time zone the account is in UTC. */
export const SignUpInput = strictFields(
  { email: NewEmail, password: NewPassword, timezone: TimeZone.optional().describe('IANA zone, e.g. Europe/Berlin; defaults to UTC') },
  'sign-up',
).superRefine((input, ctx) => {
  const problem = passwordProblem(input.password, input.email)
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
})
export type SignUp = z.output<typeof SignUpInput>

/** A log-in: any email and password within the limits; whether they match is the service's question. */
export const LogInInput = strictFields({ email: Email, password: Password }, 'log-in')
export type LogIn = z.output<typeof LogInInput>

/** A change to the account (PATCH /me): its time zone. */
export const UpdateAccountInput = strictFields({ timezone: TimeZone }, 'account')
export type UpdateAccount = z.output<typeof UpdateAccountInput>

/** A new personal API token: its name, trimmed. */
export const CreateTokenInput = strictFields(
  { name: z.string({ error: TOKEN_NAME_ERROR }).max(TOKEN_NAME_MAX, { error: TOKEN_NAME_ERROR }).trim().min(1, { error: TOKEN_NAME_ERROR }) },
  'token',
)
export type CreateToken = z.output<typeof CreateTokenInput>

/** Changing the password: the current one, and the new one (the policy against the email is the service's check). */
export const ChangePasswordInput = strictFields({ current_password: Password, password: NewPassword }, 'password change')
export type ChangePassword = z.output<typeof ChangePasswordInput>

/** Deleting the account for good: the password, and the word DELETE typed out. */
export const DeleteAccountInput = strictFields(
  { password: Password, confirm: z.literal('DELETE', { error: 'confirm must be the word DELETE, typed out' }) },
  'account deletion',
)
export type DeleteAccount = z.output<typeof DeleteAccountInput>
