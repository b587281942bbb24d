"use client";

import { useState } from "react";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";

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
      <Campo rotulo="Nome do modelo" className="min-w-64 flex-1">
        {(a) => (
          <input
            {...a}
            value={modelo}
            onChange={(e) => setModelo(e.target.value)}
            required
            placeholder={EXEMPLO[tipo]}
            className={`${a.className} font-mono`}
          />
        )}
      </Campo>
      <Botao type="submit" tamanho="medio" pendente={iniciando} textoPendente="Iniciando…" disabled={!modelo.trim()}>
        Baixar
      </Botao>
    </form>
  );
}
