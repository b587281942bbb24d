import type { NextApiRequest, NextApiResponse } from "next";
import { atenderGateway } from "@/lib/http/gateway-node";

// /v1/* (rewritten here by next.config.ts): the OpenAI-compatible gateway. Under `npm start` servidor.ts
// answers it ahead of Next; this route serves it everywhere else (next dev, Vercel).
export const config = { api: { bodyParser: false, responseLimit: false } };

export default function gateway(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const partes = ([] as string[]).concat(req.query.rota ?? []);
  return atenderGateway(req, res, `/v1/${partes.join("/")}`);
}
