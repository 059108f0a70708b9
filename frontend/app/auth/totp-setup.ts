/** Shown in the setup step: how a person adds the account to an authenticator app by hand or by link. */

const ISSUER = "fargate-ai-stack";

/** The setup key in groups of four, easier to read and type than one long run. */
export function groupedSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(" ");
}

/** The Key URI Format authenticator apps understand (TOTP, SHA-1, 6 digits, 30 s are their defaults). */
export function otpauthUri(email: string, secret: string): string {
  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(email)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(ISSUER)}`;
}
