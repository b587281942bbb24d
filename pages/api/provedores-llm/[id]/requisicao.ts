import type { NextApiRequest, NextApiResponse } from "next";
import { atenderRequisicaoLLM } from "@/lib/http/requisicao-node";

// POST /api/provedores-llm/{id}/requisicao. A Pages API route works on Node's request and response directly,
// which `npm run bench` measured at half the added latency of an App Router handler. Under `npm start` the
// same handler is mounted ahead of Next (servidor.ts); this route serves it everywhere else (Vercel, next dev).
export const config = { api: { bodyParser: false, responseLimit: false } };

export default function requisicao(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  return atenderRequisicaoLLM(req, res, String(req.query.id));
}
