import "server-only";
// The OpenAI-compatible gateway (/v1): a second front door to the same providers, adapters and statistics.
export { encaminharOpenAI } from "./encaminhar";
export { listarModelosOpenAI } from "./modelos";
