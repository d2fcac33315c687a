// What a new password must be: 8 to 128 characters, not one character repeated, not the email, not a very common password.

export const PASSWORD_MIN = 8
/** Long enough for any passphrase; the limit only bounds the work of hashing one. */
export const PASSWORD_MAX = 128

/**
 * The most common passwords of 8 or more characters in public breach corpora (the shorter ones fail the length
 * rule anyway), lower-cased. Small on purpose: it stops the guesses an attacker tries first.
 */
const COMMON = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '0123456789', '87654321', '987654321', '0987654321',
  '11223344', '12341234', '123123123', '12344321', '1234qwer', 'qwer1234', '1234abcd', 'abcd1234',
  'a1234567', 'aa123456', 'abc12345', 'abc123456', '123456789a', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y',
  'q1w2e3r4', 'q1w2e3r4t5', '1qaz2wsx', '1qazxsw2', 'zaq12wsx', 'zaq1zaq1', 'qazwsxedc', 'qweasdzxc',
  '123qweasd', 'qwertyui', 'qwertyuiop', 'qwerty12', 'qwerty123', 'qwerty1234', 'asdfghjk', 'asdfghjkl',
  'zxcvbnm1', 'zxcvbnm123', 'password', 'password1', 'password12', 'password123', 'password1234', 'password!',
  'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$w0rd', '1password', 'mypassword', 'passpass', 'passport',
  'iloveyou', 'iloveyou1', 'iloveyou2', 'sunshine', 'sunshine1', 'princess', 'princess1', 'football',
  'football1', 'baseball', 'baseball1', 'basketball', 'welcome1', 'welcome123', 'trustno1', 'superman',
  'whatever', 'whatever1', 'starwars', 'computer', 'internet', 'michelle', 'jennifer', 'charlie1',
  'mustang1', 'shadow12', 'master12', 'monkey12', 'dragon12', 'letmein1', 'letmein123', 'changeme',
  'changeme1', 'admin123', 'admin1234', 'administrator', 'secret123', 'test1234', 'testtest', 'test12345',
  'chocolate', 'butterfly', 'liverpool', 'jordan23', 'michael1', 'samsung1', 'pokemon1', 'corvette',
  'mercedes', 'superstar', 'myspace1', 'lovelove', 'loveyou1', 'goodluck', 'qwertyqwerty', 'asdf1234',
  'asdfasdf', 'google123', 'freedom1', 'blink182', 'fuckyou1', 'cheese123', 'hello123', 'hellohello',
  'aaaa1111', 'abcdefgh', 'abcdefg1', 'abcd12345', 'computer1', 'qwe123qwe', '1qaz1qaz', 'q1w2e3r4t5y6',
])

/**
 * What is wrong with a password being set (at sign-up) beyond its length (model.ts checks that), or undefined:
 * one character repeated, the email or its name part, or a very common password.
 */
export function passwordProblem(password: string, email: string): string | undefined {
  const chars = [...password]
  if (chars.every((c) => c === chars[0])) return 'password must not be one character repeated'
  const folded = password.trim().toLowerCase()
  if (folded === email || folded === email.slice(0, email.lastIndexOf('@'))) return 'password must not be your email address or its name part'
  if (COMMON.has(folded)) {
    return 'password is one of the most common passwords and would be guessed first; choose another (a few unrelated words make a strong one)'
  }
  return undefined
}
