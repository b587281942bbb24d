"use client";

import { useFormContext } from "react-hook-form";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { CampoDoFormulario } from "./campo-do-formulario";
import { numeroOuVazio } from "./valores-iniciais";

/** How the app uses the server: a description, the request timeout, the check interval and the default model. */
export function CamposUso() {
  const { register } = useFormContext<ProvedorLLMCriarEntrada>();
  return (
    <>
      <CampoDoFormulario nome="descricao" rotulo="Descrição (opcional)" className="sm:col-span-2">
        {(a) => <textarea {...a} rows={2} {...register("descricao")} />}
      </CampoDoFormulario>
      <CampoDoFormulario nome="timeout_segundos" rotulo="Timeout (segundos)">
        {(a) => <input {...a} type="number" min={1} max={600} {...register("timeout_segundos", { setValueAs: numeroOuVazio })} />}
      </CampoDoFormulario>
      <CampoDoFormulario nome="intervalo_verificacao_segundos" rotulo="Verificar a cada (segundos)">
        {(a) => (
          <input {...a} type="number" min={5} max={3600} {...register("intervalo_verificacao_segundos", { setValueAs: numeroOuVazio })} />
        )}
      </CampoDoFormulario>
      <CampoDoFormulario nome="modelo_padrao" rotulo="Modelo padrão (opcional)">
        {(a) => <input {...a} autoComplete="off" placeholder="Ex.: llama3.2:latest" {...register("modelo_padrao")} />}
      </CampoDoFormulario>
    </>
  );
}
