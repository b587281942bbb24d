import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";

/** The LLM servers the browser tests talk to, over real HTTP; their URLs reach the tests through env. */
export default async function setup() {
  const lmStudio = await new LmStudioFalso({ modelos: [{ id: "qwen/qwen3-4b", carregado: true, contexto: 32768 }] }).iniciar();
  const llama = await new LlamaCppFalso({ modelos: [{ id: "tiny-random-llama" }] }).iniciar();
  const ollama = await new OllamaFalso({
    modelos: [
      {
        id: "llama3.2:latest",
        carregado: true,
        familia: "llama",
        parametros: "3.2B",
        quantizacao: "Q4_K_M",
        tamanho: 2019393189,
        contexto: 131072,
        contextoCarregado: 8192,
      },
      {
        id: "qwen2.5:7b",
        carregado: false,
        familia: "qwen2",
        parametros: "7.6B",
        quantizacao: "Q4_K_M",
        tamanho: 4683087332,
        contexto: 32768,
      },
    ],
    resposta: "Olá! Posso ajudar com o seu servidor local.",
  }).iniciar();
  process.env.E2E_LMSTUDIO_URL = lmStudio.url;
  process.env.E2E_LLAMA_URL = llama.url;
  process.env.E2E_OLLAMA_URL = ollama.url;
  return async () => {
    await Promise.all([lmStudio.parar(), llama.parar(), ollama.parar()]);
  };
}
