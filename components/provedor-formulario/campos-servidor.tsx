"use client";

import { useFormContext } from "react-hook-form";
import { TIPOS_PROVEDOR, type TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { URL_PADRAO } from "@/lib/schemas/base-url";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { ROTULO_TIPO } from "../rotulos";
import { CampoDoFormulario } from "./campo-do-formulario";

/** Which server it is and where: name, type and base URL (choosing a type fills in its default URL). */
export function CamposServidor() {
  const { register, getValues, setValue } = useFormContext<ProvedorLLMCriarEntrada>();

  const aoMudarTipo = (novo: TipoProvedor) => {
    const atual = (getValues("base_url") ?? "").trim();
    const padroes = Object.values(URL_PADRAO);
    // Replace the URL only when it is empty or still some type's default: never what the user typed.
    if (!atual || padroes.includes(atual)) setValue("base_url", URL_PADRAO[novo] ?? "", { shouldValidate: false });
  };

  return (
    <>
      <CampoDoFormulario nome="nome" rotulo="Nome">
        {(a) => <input {...a} autoComplete="off" placeholder="Ex.: Ollama do escritório" {...register("nome")} />}
      </CampoDoFormulario>
      <CampoDoFormulario nome="tipo" rotulo="Tipo">
        {(a) => (
          <select {...a} {...register("tipo", { onChange: (e) => aoMudarTipo(e.target.value as TipoProvedor) })}>
            {TIPOS_PROVEDOR.map((t) => (
              <option key={t} value={t}>
                {ROTULO_TIPO[t]}
              </option>
            ))}
          </select>
        )}
      </CampoDoFormulario>
      <CampoDoFormulario
        nome="base_url"
        rotulo="URL base"
        className="sm:col-span-2"
        dica="Endereço do servidor, sem /v1 (se você colar com /v1, ele é removido)."
      >
        {(a) => <input {...a} inputMode="url" autoComplete="off" placeholder="http://localhost:1234" {...register("base_url")} />}
      </CampoDoFormulario>
    </>
  );
}
