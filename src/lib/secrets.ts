// Random identifiers and bearer secrets: ids are UUIDv7, secrets are stored only as SHA-256 hashes.

/** The shape of the ids we hand out; anything else cannot be one of ours. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A time-ordered UUID (v7): keeps primary-key indexes append-mostly. */
export const newId = (): string => Bun.randomUUIDv7()

/** A fresh secret with a readable type prefix, e.g. `tct_…` for an API token. */
export function newSecret(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return prefix + Buffer.from(bytes).toString('base64url')
}

/** The stored form of a secret: hex SHA-256 (secrets are 256-bit random, so no salt or stretching is needed). */
export function hashSecret(secret: string): string {
  return new Bun.CryptoHasher('sha256').update(secret).digest('hex')
}

/** Hex SHA-256 of any text, for fingerprints. */
export const sha256 = hashSecret
