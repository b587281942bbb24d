"use client";

import { useFormContext } from "react-hook-form";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { CampoDoFormulario } from "./campo-do-formulario";

type Props = {
  /** Editing a provider whose key is saved: the field may stay empty (keep it), and the key can be removed. */
  chaveSalva: boolean;
  removerChave: boolean;
  aoMudarRemoverChave: (remover: boolean) => void;
};

/** The optional API key; a saved key is never shown, only kept, replaced or removed. */
export function CampoApiKey({ chaveSalva, removerChave, aoMudarRemoverChave }: Props) {
  const { register } = useFormContext<ProvedorLLMCriarEntrada>();
  return (
    <CampoDoFormulario
      nome="api_key"
      rotulo="API key (opcional)"
      className="sm:col-span-2"
      dica={
        chaveSalva
          ? "Se você mudar a URL base, a chave salva é apagada (ela não é enviada a outro servidor): informe-a de novo se o novo endereço exigir."
          : null
      }
      extra={
        chaveSalva ? (
          <label className="mt-2 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={removerChave} onChange={(e) => aoMudarRemoverChave(e.target.checked)} />
            Remover a API key salva
          </label>
        ) : null
      }
    >
      {(a) => (
        <input
          {...a}
          type="password"
          autoComplete="new-password"
          placeholder={chaveSalva ? "Chave configurada — deixe em branco para manter" : "Só se o servidor exigir"}
          disabled={removerChave}
          {...register("api_key")}
        />
      )}
    </CampoDoFormulario>
  );
}
