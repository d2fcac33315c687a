// Who a request is, once its session or API token is resolved: what every feature is handed.

export interface AuthUser {
  id: string
  email: string
  timezone: string
  /** How the request proved who it is. */
  via: 'session' | 'token'
  /** The session's or the API token's row id. */
  credentialId: string
}

/** Who is acting, as services need it: every query is scoped to this user; their zone reads wall-clock input. */
export type Actor = Pick<AuthUser, 'id' | 'timezone'>
