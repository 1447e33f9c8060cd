/** Session tokens: 256 random bits sent to the client, only their SHA-256 stored. */

/** A new random token, base64url without padding (43 characters). */
export function newSessionToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The hex SHA-256 of a token: what the database keeps instead of the token. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** The hex SHA-256 of a text (tokens, and content files for change detection). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A short random public id (for certificates, request ids). */
export function randomId(bytes = 12): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
