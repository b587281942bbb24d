// Runs one test server on its own: `tsx tests/servidores/iniciar.ts llama_cpp|ollama|lm_studio|openai_compativel [porta] [opções]`.
// Prints {"url": …} once listening; used by the benchmark so the server has a process of its own.
// `opções` is JSON: `modelo`, the id served ("bench-model" by default), and any other key sets that field of
// the server's class, e.g. '{"modelo":"outro","semMensagensAnthropic":true}' for an older llama-server build.
import { LlamaCppFalso } from "./llama-cpp";
import { LmStudioFalso } from "./lm-studio";
import { OllamaFalso } from "./ollama";
import { OpenAICompativelFalso } from "./openai-compativel";

const tipo = process.argv[2] ?? "llama_cpp";
const porta = Number(process.argv[3] ?? 0);
const { modelo = "bench-model", ...campos } = JSON.parse(process.argv[4] ?? "{}") as { modelo?: string } & Record<string, unknown>;
const opcoes = {
  modelos: [{ id: modelo, carregado: true }],
  resposta: "Uma resposta curta e rápida para medir o custo da aplicação.",
};
const servidor =
  tipo === "ollama"
    ? new OllamaFalso(opcoes)
    : tipo === "lm_studio"
      ? new LmStudioFalso(opcoes)
      : tipo === "openai_compativel"
        ? new OpenAICompativelFalso(opcoes)
        : new LlamaCppFalso(opcoes);
Object.assign(servidor, campos);
await servidor.iniciar(porta);
console.log(JSON.stringify({ url: servidor.url }));
for (const sinal of ["SIGINT", "SIGTERM"] as const) process.on(sinal, () => void servidor.parar().then(() => process.exit(0)));
