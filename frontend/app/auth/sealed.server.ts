import { compactDecrypt, EncryptJWT, type JWTPayload } from "jose";

/**
 * Encrypts claims into a compact JWE (`dir` + A256GCM: authenticated encryption with a key only this server
 * has), deflated first so Cognito-sized tokens fit in one cookie.
 */
export function seal(claims: JWTPayload, key: Uint8Array, expiresAt: Date): Promise<string> {
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", zip: "DEF" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .encrypt(key);
}

/**
 * The claims of a value made by seal() with the same key, or undefined when it was tampered with, made with
 * another key, malformed or expired. Inflating happens only after the tag checked out, so a forged value
 * cannot be a decompression bomb.
 */
export async function unseal(
  value: string,
  key: Uint8Array,
  now = Date.now(),
): Promise<JWTPayload | undefined> {
  try {
    const { plaintext } = await compactDecrypt(value, key, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const claims = JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
    if (typeof claims !== "object" || claims === null) return undefined;
    const { exp } = claims as JWTPayload;
    if (typeof exp !== "number" || exp * 1000 <= now) return undefined;
    return claims as JWTPayload;
  } catch {
    return undefined;
  }
}
