"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { testarConexaoAcao } from "@/app/provedores-llm/actions";
import type { ResultadoTeste } from "@/lib/schemas/llm";
import { Botao } from "./ui/botao";
import { ErroNoLugar } from "./ui/erro-no-lugar";
import { useAcaoServidor } from "./ui/use-acao-servidor";

/** "Testar conexão": success with latency, version and models, or the precise reason it failed. */
export function PainelTeste({ id, timeoutSegundos }: { id: number; timeoutSegundos: number }) {
  const [resultado, setResultado] = useState<ResultadoTeste | null>(null);
  const router = useRouter();
  // A refused test (unknown provider) shows in place; a server that does not answer is a result, not an error.
  const { executar, pendente, erro } = useAcaoServidor(testarConexaoAcao, {
    mostrarErro: "no-lugar",
    aoConcluir: (r) => {
      setResultado(r);
      router.refresh();
    },
  });

  return (
    <section aria-labelledby="teste-titulo" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="teste-titulo" className="text-lg font-semibold">
          Conexão
        </h2>
        <Botao onClick={() => executar(id)} pendente={pendente} textoPendente={`Testando… (até ${timeoutSegundos} s)`}>
          Testar conexão
        </Botao>
      </div>
      <ErroNoLugar mensagem={erro?.mensagem} />
      {resultado ? (
        resultado.sucesso ? (
          <div role="status" className="space-y-2 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            <p className="font-medium">{resultado.mensagem}</p>
            <p>
              Latência: <strong>{resultado.latencia_ms} ms</strong>
              {resultado.versao ? (
                <>
                  {" "}
                  · Versão do servidor: <strong>{resultado.versao}</strong>
                </>
              ) : null}
            </p>
            {resultado.modelos.length ? (
              <ul className="list-inside list-disc">
                {resultado.modelos.map((m) => (
                  <li key={m.modelo}>
                    <span className="font-mono">{m.modelo}</span>
                    {m.carregado ? " (carregado)" : ""}
                  </li>
                ))}
              </ul>
            ) : (
              <p>O servidor respondeu, mas não tem nenhum modelo disponível.</p>
            )}
          </div>
        ) : (
          <div role="alert" className="space-y-1 rounded-md bg-red-50 p-3 text-sm text-red-900">
            <p className="font-medium">Falhou: {resultado.mensagem}</p>
            <p className="text-xs text-red-800">Código: {resultado.erro?.codigo}</p>
          </div>
        )
      ) : (
        <p className="text-sm text-slate-600">Verifica se o servidor responde, mede a latência e atualiza a lista de modelos.</p>
      )}
    </section>
  );
}
