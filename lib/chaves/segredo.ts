import "server-only";
import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** What every secret starts with: a program (or a scanner of leaked secrets) can tell an access key at sight. */
export const PREFIXO_DO_SEGREDO = "pllm_";

/** A new secret: `pllm_` + 32 random bytes in base64url (43 characters). */
export function novoSegredo(): string {
  return `${PREFIXO_DO_SEGREDO}${randomBytes(32).toString("base64url")}`;
}

/** What the table keeps of a secret: its SHA-256 in hex (a 256-bit random secret needs no salt nor slow hash). */
export function hashDoSegredo(segredo: string): string {
  // The one-shot digest: the gate hashes every key's secret on every request.
  return hash("sha256", segredo, "hex");
}

/** The visible part of a secret: its first 8 characters after `pllm_`, to tell keys apart in lists. */
export function prefixoDoSegredo(segredo: string): string {
  return segredo.slice(PREFIXO_DO_SEGREDO.length, PREFIXO_DO_SEGREDO.length + 8);
}

/** Two hex digests compared in constant time (a mismatch of length, which hex SHA-256 never has, is a mismatch). */
export function mesmoHash(a: string, b: string): boolean {
  const ba = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}
