"use client";

import { useActionState } from "react";
import { entrarAcao, type EstadoLogin } from "./actions";

export function FormularioLogin({ proximo }: { proximo: string }) {
  const [estado, acao, pendente] = useActionState<EstadoLogin, FormData>(entrarAcao, { erro: null });
  return (
    <form action={acao} className="space-y-4">
      <input type="hidden" name="proximo" value={proximo} />
      <div>
        <label htmlFor="token" className="block text-sm font-medium">
          Token de acesso
        </label>
        <input
          id="token"
          name="token"
          type="password"
          required
          // biome-ignore lint/a11y/noAutofocus: the login page has this one field; focusing it is what the user came for.
          autoFocus
          autoComplete="current-password"
          aria-invalid={estado.erro ? true : undefined}
          aria-describedby={estado.erro ? "token-erro" : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30"
        />
        {estado.erro ? (
          <p id="token-erro" role="alert" className="mt-1 text-sm text-red-700">
            {estado.erro}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pendente}
        className="w-full rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60"
      >
        {pendente ? "Entrando…" : "Entrar"}
      </button>
    </form>
  );
}
