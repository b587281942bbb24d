"use client";

import { useCallback, useRef, useState, useTransition } from "react";
import type { FalhaAcao, ResultadoAcao } from "@/lib/resultado-acao";
import { useAviso } from "../toast";

/** Where a failure shows: a toast, in place (the `erro` the hook returns), both, or nowhere. */
export type OndeMostrarErro = "aviso" | "no-lugar" | "aviso-e-no-lugar" | "nenhum";

type Opcoes<A extends unknown[], T> = {
  mostrarErro?: OndeMostrarErro;
  /** Runs first on a failure; answering true means the caller showed it (e.g. under the form's fields) and the hook shows nothing. */
  tratarFalha?: (falha: FalhaAcao) => boolean;
  /** Runs on success, inside the pending state (a refresh it starts keeps the button busy until the page has it). */
  aoConcluir?: (dados: T, ...args: A) => void;
};

// A call that throws (the app unreachable, a deploy in between) gets the same treatment as a refused one.
const SEM_RESPOSTA: FalhaAcao = {
  ok: false,
  codigo: "interno",
  mensagem: "Não foi possível falar com o app. Verifique a conexão e tente de novo.",
};

/**
 * Calls a server action and shows its error the app's way; `executar` resolves with the data, or undefined
 * when it failed. `pendente` is true from the call until whatever `aoConcluir` started has rendered.
 */
export function useAcaoServidor<A extends unknown[], T>(acao: (...args: A) => Promise<ResultadoAcao<T>>, opcoes: Opcoes<A, T> = {}) {
  const avisar = useAviso();
  const [pendente, iniciarTransicao] = useTransition();
  const [erro, setErro] = useState<FalhaAcao | null>(null);
  // The latest options, so `executar` keeps one identity while callers pass fresh closures.
  const atuais = useRef(opcoes);
  atuais.current = opcoes;

  const executar = useCallback(
    (...args: A) =>
      new Promise<T | undefined>((resolver) => {
        iniciarTransicao(async () => {
          const { mostrarErro = "aviso", tratarFalha, aoConcluir } = atuais.current;
          setErro(null);
          const r = await acao(...args).catch((): FalhaAcao => SEM_RESPOSTA);
          if (!r.ok) {
            if (!tratarFalha?.(r)) {
              if (mostrarErro === "no-lugar" || mostrarErro === "aviso-e-no-lugar") setErro(r);
              if (mostrarErro === "aviso" || mostrarErro === "aviso-e-no-lugar") avisar(r.mensagem, "erro");
            }
            return resolver(undefined);
          }
          aoConcluir?.(r.dados, ...args);
          resolver(r.dados);
        });
      }),
    [acao, avisar],
  );

  return { executar, pendente, erro };
}
