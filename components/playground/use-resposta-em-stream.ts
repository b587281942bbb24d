"use client";

import { useRef, useState } from "react";
import type { ErroResumo, RespostaLLM } from "@/lib/schemas/llm";
import { lerEventosSSE } from "../ler-sse";

export type EstadoResposta = "parado" | "enviando" | "recebendo";

export type Prompt = { mensagem: string; modelo: string; temperatura: string; maxTokens: string };

/**
 * One streamed answer from `POST /api/provedores-llm/{id}/requisicao`: the text as it arrives, the final figures,
 * the error, and whether it was stopped. A new prompt clears the last answer.
 */
export function useRespostaEmStream(id: number) {
  const [texto, setTexto] = useState("");
  const [estado, setEstado] = useState<EstadoResposta>("parado");
  const [final, setFinal] = useState<RespostaLLM | null>(null);
  const [erro, setErro] = useState<string | null>(null);
  const [interrompido, setInterrompido] = useState(false);
  const controle = useRef<AbortController | null>(null);

  const enviar = async ({ mensagem, modelo, temperatura, maxTokens }: Prompt) => {
    if (!mensagem.trim()) return setErro("Escreva uma mensagem.");
    setTexto("");
    setFinal(null);
    setErro(null);
    setInterrompido(false);
    setEstado("enviando");
    const c = new AbortController();
    controle.current = c;
    const configuracao: Record<string, number> = {};
    if (temperatura !== "") configuracao.temperatura = Number(temperatura);
    if (maxTokens !== "") configuracao.max_tokens = Number(maxTokens);
    try {
      const r = await fetch(`/api/provedores-llm/${id}/requisicao`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          mensagens: [{ role: "user", content: mensagem }],
          ...(modelo ? { modelo } : {}),
          configuracao,
          stream: true,
        }),
        signal: c.signal,
      });
      if (!r.ok || !r.body) {
        const corpo = (await r.json().catch(() => null)) as { erro?: ErroResumo } | null;
        setErro(corpo?.erro?.mensagem ?? `Falha HTTP ${r.status}.`);
        return;
      }
      setEstado("recebendo");
      await lerEventosSSE(r.body, (evento, dados) => {
        if (evento === "delta") setTexto((t) => t + (dados as { conteudo: string }).conteudo);
        else if (evento === "fim") setFinal(dados as RespostaLLM);
        else if (evento === "erro") setErro((dados as ErroResumo).mensagem);
      });
    } catch (e) {
      if (c.signal.aborted) setInterrompido(true);
      else setErro(`Não foi possível completar a requisição: ${(e as Error).message}`);
    } finally {
      controle.current = null;
      setEstado("parado");
    }
  };

  const parar = () => controle.current?.abort();

  return { enviar, parar, estado, texto, final, erro, interrompido };
}
