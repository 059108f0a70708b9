import { hkdfSync } from "node:crypto";

/** What a key encrypts; each purpose gets its own key, so one cookie can never be replayed as another. */
export type KeyPurpose = "session" | "sign-in-challenge";

const SALT = "fargate-ai-stack/frontend";
const cache = new Map<string, Uint8Array>();

/**
 * A 256-bit A256GCM key derived from SESSION_SECRET with HKDF-SHA256. Rotating the secret signs everyone out
 * (their cookies no longer decrypt), which is the intended way to end every session at once.
 */
export function cookieKey(secret: string, purpose: KeyPurpose): Uint8Array {
  const id = `${purpose}\0${secret}`;
  let key = cache.get(id);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", secret, SALT, `${purpose} cookie v1`, 32));
    cache.set(id, key);
  }
  return key;
}
