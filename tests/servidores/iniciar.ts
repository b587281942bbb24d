// Runs one test server on its own: `tsx tests/servidores/iniciar.ts llama_cpp [porta]`.
// Prints {"url": …} once listening; used by the benchmark so the server has a process of its own.
import { LlamaCppFalso } from "./llama-cpp";
import { LmStudioFalso } from "./lm-studio";
import { OllamaFalso } from "./ollama";

const tipo = process.argv[2] ?? "llama_cpp";
const porta = Number(process.argv[3] ?? 0);
const opcoes = {
  modelos: [{ id: "bench-model", carregado: true }],
  resposta: "Uma resposta curta e rápida para medir o custo da aplicação.",
};
const servidor = tipo === "ollama" ? new OllamaFalso(opcoes) : tipo === "lm_studio" ? new LmStudioFalso(opcoes) : new LlamaCppFalso(opcoes);
await servidor.iniciar(porta);
console.log(JSON.stringify({ url: servidor.url }));
for (const sinal of ["SIGINT", "SIGTERM"] as const) process.on(sinal, () => void servidor.parar().then(() => process.exit(0)));
