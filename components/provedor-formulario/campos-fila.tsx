"use client";

import { useFormContext, useWatch } from "react-hook-form";
import type { LimiteEmVigor } from "@/lib/provedores/limite-em-vigor";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { textoDoLimite } from "../limite-em-vigor";
import { CampoDoFormulario } from "./campo-do-formulario";
import { numeroOuNulo, numeroOuVazio } from "./valores-iniciais";

/** What the empty field means as it reads: "Automático: 4 (informado pelo servidor)", "Automático: sem limite (…)". */
function automatico(l: LimiteEmVigor, tipo: TipoProvedor): string {
  const texto = textoDoLimite(l, tipo, { porModelo: false });
  return `Automático: ${l.limite === null ? texto.replace("Sem limite", "sem limite") : texto}`;
}

/**
 * The provider's fair share: how many requests it runs at once (empty: what the server reports, else the type's
 * default; 0: no limit), how many may wait beyond that, and for how long. The hint says what is in force.
 */
export function CamposFila({ automaticos }: { automaticos: Record<TipoProvedor, LimiteEmVigor> }) {
  const { register, control } = useFormContext<ProvedorLLMCriarEntrada>();
  const tipo = useWatch({ control, name: "tipo" }) ?? "lm_studio";
  const valor = useWatch({ control, name: "max_concorrencia" });
  const auto = automaticos[tipo];
  const porModelo = auto.porModelo ? " O limite vale para cada modelo carregado." : "";
  const emVigor =
    valor === null || valor === undefined || Number.isNaN(valor)
      ? `${automatico(auto, tipo)}.`
      : valor === 0
        ? "Sem limite."
        : `${valor} (definido aqui).`;
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-medium text-slate-800">Fila e concorrência</legend>
      <p className="text-xs text-slate-500">
        Acima do limite, as requisições esperam na fila deste provedor; com a fila cheia (ou a espera esgotada), o cliente recebe “ocupado”
        na hora.
      </p>
      <div className="grid gap-4 sm:grid-cols-3">
        <CampoDoFormulario
          nome="max_concorrencia"
          rotulo="Concorrência máxima"
          dica={
            <span data-testid="concorrencia-em-vigor">
              Em vigor: {emVigor} Vazio: automático; 0: sem limite.{porModelo}
            </span>
          }
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={0}
              max={1024}
              step={1}
              inputMode="numeric"
              placeholder={automatico(auto, tipo)}
              {...register("max_concorrencia", { setValueAs: numeroOuNulo })}
            />
          )}
        </CampoDoFormulario>
        <CampoDoFormulario nome="fila_max" rotulo="Tamanho máximo da fila" dica="Quantas podem esperar (0: nenhuma).">
          {(a) => (
            <input
              {...a}
              type="number"
              min={0}
              max={10000}
              step={1}
              inputMode="numeric"
              {...register("fila_max", { setValueAs: numeroOuVazio })}
            />
          )}
        </CampoDoFormulario>
        <CampoDoFormulario nome="fila_espera_segundos" rotulo="Espera máxima na fila (segundos)" dica="Não conta no timeout.">
          {(a) => (
            <input
              {...a}
              type="number"
              min={1}
              max={3600}
              step={1}
              inputMode="numeric"
              {...register("fila_espera_segundos", { setValueAs: numeroOuVazio })}
            />
          )}
        </CampoDoFormulario>
      </div>
    </fieldset>
  );
}
