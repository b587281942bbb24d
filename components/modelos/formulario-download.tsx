"use client";

import { useState } from "react";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { Botao } from "../ui/botao";

const EXEMPLO: Partial<Record<TipoProvedor, string>> = {
  ollama: "llama3.2:1b",
  lm_studio: "ibm/granite-4-micro ou uma URL do Hugging Face",
};

/** The name of the model to download and the button; the field empties once the download has started. */
export function FormularioDownload({
  tipo,
  iniciando,
  aoIniciar,
}: {
  tipo: TipoProvedor;
  iniciando: boolean;
  aoIniciar: (modelo: string) => Promise<boolean>;
}) {
  const [modelo, setModelo] = useState("");
  const enviar = async (evento: React.FormEvent) => {
    evento.preventDefault();
    if (await aoIniciar(modelo)) setModelo("");
  };
  return (
    <form onSubmit={enviar} className="flex flex-wrap items-end gap-2">
      <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
        Nome do modelo
        <input
          value={modelo}
          onChange={(e) => setModelo(e.target.value)}
          required
          placeholder={EXEMPLO[tipo]}
          className="rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
        />
      </label>
      <Botao type="submit" tamanho="medio" pendente={iniciando} textoPendente="Iniciando…" disabled={!modelo.trim()}>
        Baixar
      </Botao>
    </form>
  );
}
