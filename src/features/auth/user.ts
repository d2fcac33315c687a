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
