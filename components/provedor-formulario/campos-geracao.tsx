"use client";

import { useFormContext } from "react-hook-form";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { CampoDoFormulario } from "./campo-do-formulario";
import { numeroOuVazio } from "./valores-iniciais";

/** The generation defaults sent with every request that does not set its own. */
export function CamposGeracao() {
  const { register } = useFormContext<ProvedorLLMCriarEntrada>();
  return (
    <fieldset className="rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-medium text-slate-800">Geração padrão (opcional)</legend>
      <div className="grid gap-5 sm:grid-cols-3">
        <CampoDoFormulario nome="configuracao.temperatura" rotulo="Temperatura">
          {(a) => (
            <input
              {...a}
              type="number"
              step="0.1"
              min={0}
              max={2}
              {...register("configuracao.temperatura", { setValueAs: numeroOuVazio })}
            />
          )}
        </CampoDoFormulario>
        <CampoDoFormulario nome="configuracao.max_tokens" rotulo="Máx. de tokens">
          {(a) => <input {...a} type="number" min={1} {...register("configuracao.max_tokens", { setValueAs: numeroOuVazio })} />}
        </CampoDoFormulario>
        <CampoDoFormulario nome="configuracao.top_p" rotulo="top_p">
          {(a) => (
            <input {...a} type="number" step="0.05" min={0} max={1} {...register("configuracao.top_p", { setValueAs: numeroOuVazio })} />
          )}
        </CampoDoFormulario>
      </div>
    </fieldset>
  );
}
