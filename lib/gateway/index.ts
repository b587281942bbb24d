import "server-only";
// The pipeline every model call goes through (lib/gateway/atender.ts), and the model list /v1 answers.
export { listarModelosOpenAI } from "./listar-modelos";
