import { after } from "next/server";
import { atenderWeb } from "@/lib/http/adaptador-web";

// Ollama's probe of `/` (a client that is not a browser), rewritten here by proxy.ts: dispatched as `/` through
// the one route table, as servidor.ts dispatches it under `npm start`.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const atender = (request: Request) => {
  const url = new URL(request.url);
  return atenderWeb(new Request(new URL(`/${url.search}`, url), request), after);
};

export { atender as GET, atender as HEAD, atender as OPTIONS };
