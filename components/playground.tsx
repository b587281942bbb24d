"use client";

import { useId, useRef, useState } from "react";
import type { ErroResumo, RespostaLLM } from "@/lib/schemas/llm";
import { ms } from "./formatos";
import { lerEventosSSE } from "./ler-sse";

type Estado = "parado" | "enviando" | "recebendo";

/** Sends one message and streams the answer in, with a stop button; figures at the end. */
export function Playground({ id, modelos, modeloPadrao }: { id: number; modelos: string[]; modeloPadrao: string | null }) {
  const base = useId();
  const [modelo, setModelo] = useState(modeloPadrao ?? modelos[0] ?? "");
  const [mensagem, setMensagem] = useState("");
  const [temperatura, setTemperatura] = useState("");
  const [maxTokens, setMaxTokens] = useState("");
  const [texto, setTexto] = useState("");
  const [estado, setEstado] = useState<Estado>("parado");
  const [final, setFinal] = useState<RespostaLLM | null>(null);
  const [erro, setErro] = useState<string | null>(null);
  const [interrompido, setInterrompido] = useState(false);
  const controle = useRef<AbortController | null>(null);

  // The list can arrive later (after a connection test refreshes the page).
  const modeloEscolhido = modelos.length && !modelos.includes(modelo) ? modelos[0]! : modelo;

  const enviar = async (e: React.FormEvent) => {
    e.preventDefault();
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
          ...(modeloEscolhido ? { modelo: modeloEscolhido } : {}),
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

  const ocupado = estado !== "parado";
  const campo =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30";

  return (
    <section aria-labelledby={`${base}-titulo`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${base}-titulo`} className="text-lg font-semibold">
        Playground
      </h2>
      <form onSubmit={enviar} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <label htmlFor={`${base}-modelo`} className="block text-sm font-medium">
              Modelo
            </label>
            {modelos.length ? (
              <select id={`${base}-modelo`} value={modeloEscolhido} onChange={(e) => setModelo(e.target.value)} className={campo}>
                {modelos.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${base}-modelo`}
                value={modelo}
                onChange={(e) => setModelo(e.target.value)}
                placeholder="Teste a conexão para listar"
                className={campo}
              />
            )}
          </div>
          <div>
            <label htmlFor={`${base}-temperatura`} className="block text-sm font-medium">
              Temperatura
            </label>
            <input
              id={`${base}-temperatura`}
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperatura}
              onChange={(e) => setTemperatura(e.target.value)}
              placeholder="padrão"
              className={campo}
            />
          </div>
          <div>
            <label htmlFor={`${base}-max`} className="block text-sm font-medium">
              Máx. de tokens
            </label>
            <input
              id={`${base}-max`}
              type="number"
              min={1}
              value={maxTokens}
              onChange={(e) => setMaxTokens(e.target.value)}
              placeholder="padrão"
              className={campo}
            />
          </div>
        </div>
        <div>
          <label htmlFor={`${base}-mensagem`} className="block text-sm font-medium">
            Mensagem
          </label>
          <textarea
            id={`${base}-mensagem`}
            rows={3}
            value={mensagem}
            onChange={(e) => setMensagem(e.target.value)}
            className={campo}
            placeholder="Escreva um prompt…"
          />
        </div>
        <div className="flex gap-2">
          <button
            type="submit"
            disabled={ocupado}
            className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60"
          >
            {estado === "enviando" ? "Aguardando o primeiro token…" : estado === "recebendo" ? "Recebendo…" : "Enviar"}
          </button>
          <button
            type="button"
            onClick={() => controle.current?.abort()}
            disabled={!ocupado}
            className="rounded-md px-4 py-2 text-sm font-medium text-red-700 ring-1 ring-red-300 hover:bg-red-50 disabled:opacity-40"
          >
            Parar
          </button>
        </div>
      </form>
      {erro ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {erro}
        </p>
      ) : null}
      {texto || ocupado ? (
        <div
          role="log"
          aria-live="polite"
          aria-label="Resposta"
          className="min-h-16 whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm"
          data-testid="resposta"
        >
          {texto}
          {ocupado ? <span className="animate-pulse">▍</span> : null}
        </div>
      ) : null}
      {interrompido ? <p className="text-sm text-amber-800">Interrompido: a requisição ao servidor foi cancelada.</p> : null}
      {final ? (
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" aria-label="Métricas da resposta">
          <div>
            <dt className="text-slate-600">Tokens/s</dt>
            <dd className="font-semibold">{final.tokens_por_segundo?.toLocaleString("pt-BR", { maximumFractionDigits: 1 }) ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Primeiro token</dt>
            <dd className="font-semibold">{ms(final.tempo_primeiro_token_ms)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Tempo total</dt>
            <dd className="font-semibold">{ms(final.tempo_resposta_ms)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Tokens (prompt + resposta)</dt>
            <dd className="font-semibold">
              {final.tokens.prompt ?? "—"} + {final.tokens.resposta ?? "—"}
            </dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}
