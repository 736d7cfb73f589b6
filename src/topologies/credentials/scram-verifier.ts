import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

// The password reaches the server only as a SCRAM-SHA-256 verifier (RFC 5802/7677, in
// PostgreSQL's stored format), so not even the server's statement log can contain it.
const ITERATIONS = 4096;

export function scramVerifier(password: string, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A per-run password: URL- and conninfo-safe characters only. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}
