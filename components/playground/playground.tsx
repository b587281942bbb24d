"use client";

import { useId, useState } from "react";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { FormularioPrompt } from "./formulario-prompt";
import { MetricasResposta } from "./metricas-resposta";
import { type Prompt, useRespostaEmStream } from "./use-resposta-em-stream";

/** Sends one message and streams the answer in, with a stop button; figures at the end. */
export function Playground({ id, modelos, modeloPadrao }: { id: number; modelos: string[]; modeloPadrao: string | null }) {
  const base = useId();
  const [prompt, setPrompt] = useState<Prompt>({ modelo: modeloPadrao ?? modelos[0] ?? "", mensagem: "", temperatura: "", maxTokens: "" });
  const resposta = useRespostaEmStream(id);
  const ocupado = resposta.estado !== "parado";

  // The list can arrive later (after a connection test refreshes the page).
  const modelo = modelos.length && !modelos.includes(prompt.modelo) ? modelos[0]! : prompt.modelo;

  return (
    <section aria-labelledby={`${base}-titulo`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${base}-titulo`} className="text-lg font-semibold">
        Playground
      </h2>
      <FormularioPrompt
        modelos={modelos}
        prompt={{ ...prompt, modelo }}
        aoMudar={(mudanca) => setPrompt((atual) => ({ ...atual, ...mudanca }))}
        estado={resposta.estado}
        aoEnviar={() => resposta.enviar({ ...prompt, modelo })}
        aoParar={resposta.parar}
      />
      <ErroNoLugar mensagem={resposta.erro} />
      {resposta.texto || ocupado ? (
        <div
          role="log"
          aria-live="polite"
          aria-label="Resposta"
          className="min-h-16 whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm"
          data-testid="resposta"
        >
          {resposta.texto}
          {ocupado ? <span className="animate-pulse">▍</span> : null}
        </div>
      ) : null}
      {resposta.interrompido ? <p className="text-sm text-amber-800">Interrompido: a requisição ao servidor foi cancelada.</p> : null}
      {resposta.final ? <MetricasResposta resposta={resposta.final} /> : null}
    </section>
  );
}
