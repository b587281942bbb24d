"use client";

import { useCallback, useLayoutEffect, useRef, useState, useTransition } from "react";
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
  /**
   * Calls may overlap (each download's cancel, the monitor's rereads). Otherwise a call while one runs is
   * ignored and resolves undefined: a second click lands before the first one's render has disabled the button.
   */
  emParalelo?: boolean;
};

// A call that throws (the app unreachable, a deploy in between) gets the same treatment as a refused one.
export const SEM_RESPOSTA: FalhaAcao = {
  ok: false,
  codigo: "interno",
  mensagem: "Não foi possível falar com o app. Verifique a conexão e tente de novo.",
};

/** A call refused because the session is gone (it expired, or another tab logged out). */
export const SESSAO_EXPIRADA: FalhaAcao = {
  ok: false,
  codigo: "nao_autorizado",
  mensagem: "Sua sessão expirou. Recarregue a página e entre de novo.",
};

// With no session the front door answers a page (and the action posted to it) with a redirect to /login;
// asked again without following redirects, the page says whether that is why the call failed.
async function sessaoExpirou(): Promise<boolean> {
  try {
    const r = await fetch(window.location.href, { method: "HEAD", redirect: "manual", cache: "no-store" });
    return r.type === "opaqueredirect";
  } catch {
    return false;
  }
}

async function chamar<A extends unknown[], T>(acao: (...args: A) => Promise<ResultadoAcao<T>>, args: A): Promise<ResultadoAcao<T>> {
  try {
    return await acao(...args);
  } catch (e) {
    if (await sessaoExpirou()) return SESSAO_EXPIRADA;
    console.error("Falha ao chamar a ação do servidor:", e);
    return SEM_RESPOSTA;
  }
}

/**
 * Calls a server action and shows its error the app's way; `executar` always resolves, with the data or with
 * undefined when it failed. `pendente` is true from the call until whatever `aoConcluir` started has rendered.
 */
export function useAcaoServidor<A extends unknown[], T>(acao: (...args: A) => Promise<ResultadoAcao<T>>, opcoes: Opcoes<A, T> = {}) {
  const avisar = useAviso();
  // The action is awaited outside any transition: React 19 entangles concurrent async transitions in one lane,
  // so one slow call (loading a big model) would hold every other button's pending state and refresh.
  const [emCurso, setEmCurso] = useState(0);
  const [concluindo, iniciarTransicao] = useTransition();
  const [erro, setErro] = useState<FalhaAcao | null>(null);
  // Read synchronously by the next click, before React has rendered the first one's pending state.
  const emVoo = useRef(0);
  // The latest options, so `executar` keeps one identity while callers pass fresh closures (set after render commits).
  const atuais = useRef(opcoes);
  useLayoutEffect(() => {
    atuais.current = opcoes;
  });

  const executar = useCallback(
    async (...args: A): Promise<T | undefined> => {
      const { mostrarErro = "aviso", tratarFalha, emParalelo = false } = atuais.current;
      if (!emParalelo && emVoo.current > 0) return undefined;
      emVoo.current += 1;
      setEmCurso((n) => n + 1);
      setErro(null);
      try {
        const r = await chamar(acao, args);
        if (!r.ok) {
          if (!tratarFalha?.(r)) {
            if (mostrarErro === "no-lugar" || mostrarErro === "aviso-e-no-lugar") setErro(r);
            if (mostrarErro === "aviso" || mostrarErro === "aviso-e-no-lugar") avisar(r.mensagem, "erro");
          }
          return undefined;
        }
        // A synchronous transition of its own: what aoConcluir starts (router.refresh, a push) keeps `pendente`
        // until it renders, without waiting for other calls in flight.
        const { aoConcluir } = atuais.current;
        iniciarTransicao(() => {
          try {
            aoConcluir?.(r.dados, ...args);
          } catch (e) {
            console.error("Falha ao concluir a ação do servidor:", e);
          }
        });
        return r.dados;
      } catch (e) {
        // tratarFalha or the toast threw: the call still ends, and the button is released.
        console.error("Falha ao tratar o resultado da ação do servidor:", e);
        return undefined;
      } finally {
        emVoo.current -= 1;
        setEmCurso((n) => n - 1);
      }
    },
    [acao, avisar],
  );

  return { executar, pendente: emCurso > 0 || concluindo, erro };
}
