"use client";

import { useActionState } from "react";
import { Botao } from "@/components/ui/botao";
import { Campo } from "@/components/ui/campo";
import { entrarAcao, type EstadoLogin } from "./actions";

export function FormularioLogin({ proximo }: { proximo: string }) {
  const [estado, acao, pendente] = useActionState<EstadoLogin, FormData>(entrarAcao, { erro: null });
  return (
    <form action={acao} className="space-y-4">
      <input type="hidden" name="proximo" value={proximo} />
      <Campo rotulo="Token de acesso" erro={estado.erro ?? undefined} anunciarErro>
        {(a) => (
          <input
            {...a}
            name="token"
            type="password"
            required
            // biome-ignore lint/a11y/noAutofocus: the login page has this one field; focusing it is what the user came for.
            autoFocus
            autoComplete="current-password"
          />
        )}
      </Campo>
      <Botao type="submit" pendente={pendente} textoPendente="Entrando…" className="w-full">
        Entrar
      </Botao>
    </form>
  );
}
