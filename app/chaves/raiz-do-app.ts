import "server-only";
import { headers } from "next/headers";

/** The app's address as this request reached it (`http://maquina:3000`): what the snippets point at. */
export async function raizDoApp(): Promise<string> {
  const h = await headers();
  const protocolo = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${protocolo}://${h.get("host") ?? "localhost:3000"}`;
}
