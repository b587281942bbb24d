"use client";

import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";
import type { EstadoResposta, Prompt } from "./use-resposta-em-stream";

type Props = {
  modelos: string[];
  prompt: Prompt;
  aoMudar: (mudanca: Partial<Prompt>) => void;
  estado: EstadoResposta;
  aoEnviar: () => void;
  aoParar: () => void;
};

const ROTULO_ENVIAR: Record<EstadoResposta, string> = {
  parado: "Enviar",
  enviando: "Aguardando o primeiro token…",
  recebendo: "Recebendo…",
};

/** The prompt: model (a list once the server's models are known, else free text), generation knobs, message, send and stop. */
export function FormularioPrompt({ modelos, prompt, aoMudar, estado, aoEnviar, aoParar }: Props) {
  const ocupado = estado !== "parado";
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        aoEnviar();
      }}
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Campo rotulo="Modelo">
          {(a) =>
            modelos.length ? (
              <select {...a} value={prompt.modelo} onChange={(e) => aoMudar({ modelo: e.target.value })}>
                {modelos.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...a}
                value={prompt.modelo}
                onChange={(e) => aoMudar({ modelo: e.target.value })}
                placeholder="Teste a conexão para listar"
              />
            )
          }
        </Campo>
        <Campo rotulo="Temperatura">
          {(a) => (
            <input
              {...a}
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={prompt.temperatura}
              onChange={(e) => aoMudar({ temperatura: e.target.value })}
              placeholder="padrão"
            />
          )}
        </Campo>
        <Campo rotulo="Máx. de tokens">
          {(a) => (
            <input
              {...a}
              type="number"
              min={1}
              value={prompt.maxTokens}
              onChange={(e) => aoMudar({ maxTokens: e.target.value })}
              placeholder="padrão"
            />
          )}
        </Campo>
      </div>
      <Campo rotulo="Mensagem">
        {(a) => (
          <textarea
            {...a}
            rows={3}
            value={prompt.mensagem}
            onChange={(e) => aoMudar({ mensagem: e.target.value })}
            placeholder="Escreva um prompt…"
          />
        )}
      </Campo>
      <div className="flex gap-2">
        <Botao type="submit" disabled={ocupado}>
          {ROTULO_ENVIAR[estado]}
        </Botao>
        <Botao variante="perigo" forma="contorno" onClick={aoParar} disabled={!ocupado}>
          Parar
        </Botao>
      </div>
    </form>
  );
}
